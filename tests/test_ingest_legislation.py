"""legislation.gov.uk XML (CLML) and HTML, on small samples written here in the real formats.

The wording of every provision below is invented for the tests; only the markup follows
legislation.gov.uk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.legislation import load_legislation, parse_xml
from assistant.models import LegalStatus, PassageKind

NS = (
    'xmlns="http://www.legislation.gov.uk/namespaces/legislation" '
    'xmlns:ukm="http://www.legislation.gov.uk/namespaces/metadata" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)

ACT_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<Legislation {NS} DocumentURI="http://www.legislation.gov.uk/ukpga/2014/6/part/3" NumberOfProvisions="3">
 <ukm:Metadata>
  <dc:identifier>http://www.legislation.gov.uk/ukpga/2014/6/part/3</dc:identifier>
  <dc:title>Children and Families Act 2014</dc:title>
  <ukm:PrimaryMetadata><ukm:DocumentClassification><ukm:DocumentCategory Value="primary"/></ukm:DocumentClassification></ukm:PrimaryMetadata>
 </ukm:Metadata>
 <Primary>
  <Body>
   <Part DocumentURI="http://www.legislation.gov.uk/ukpga/2014/6/part/3" id="part-3">
    <Number>Part 3</Number>
    <Title>Young people with additional needs (test wording)</Title>
    <Pblock><Title>Guiding ideas</Title>
     <P1group><Title>Listening to families</Title>
      <P1 DocumentURI="http://www.legislation.gov.uk/ukpga/2014/6/section/19" id="section-19">
       <Pnumber>19</Pnumber>
       <P1para>
        <Text>When it acts under this Part a council must think about<CommentaryRef Ref="c1"/>—</Text>
        <P3><Pnumber>a</Pnumber><P3para><Text>what the child and the family want;</Text></P3para></P3>
        <P3><Pnumber>b</Pnumber><P3para><Text>how the family can take part in decisions.</Text></P3para></P3>
       </P1para>
      </P1>
     </P1group>
    </Pblock>
    <Pblock><Title>Plans</Title>
     <P1group><Title>Making sure the help in a plan happens</Title>
      <P1 DocumentURI="http://www.legislation.gov.uk/ukpga/2014/6/section/42" id="section-42">
       <Pnumber>42</Pnumber>
       <P1para>
        <P2 id="section-42-1"><Pnumber>1</Pnumber><P2para><Text>This section covers a child who has a plan.</Text></P2para></P2>
        <P2 id="section-42-2"><Pnumber>2</Pnumber><P2para><Text>The council <Substitution>must arrange</Substitution> the teaching help written in the plan.</Text></P2para></P2>
       </P1para>
      </P1>
     </P1group>
    </Pblock>
   </Part>
  </Body>
 </Primary>
 <Commentaries><Commentary id="c1"><Para><Text>Words added by a later test Act.</Text></Para></Commentary></Commentaries>
</Legislation>
"""

SI_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<Legislation {NS} DocumentURI="http://www.legislation.gov.uk/uksi/2014/1530">
 <ukm:Metadata><dc:title>The Special Educational Needs and Disability Regulations 2014</dc:title>
  <ukm:SecondaryMetadata><ukm:DocumentClassification><ukm:DocumentCategory Value="secondary"/></ukm:DocumentClassification></ukm:SecondaryMetadata>
 </ukm:Metadata>
 <Secondary>
  <Body>
   <Part id="part-2"><Number>PART 2</Number><Title>Assessments (test wording)</Title>
    <P1group><Title>Deadlines for plans</Title>
     <P1 DocumentURI="http://www.legislation.gov.uk/uksi/2014/1530/regulation/13" id="regulation-13">
      <Pnumber>13</Pnumber>
      <P1para>
       <P2 id="regulation-13-1"><Pnumber>1</Pnumber><P2para><Text>The council must send the final plan within a set number of weeks.</Text></P2para></P2>
       <P2 id="regulation-13-2"><Pnumber>2</Pnumber><P2para><Text>The deadline does not apply where—</Text>
        <P3><Pnumber>a</Pnumber><P3para><Text>the family asks for more time;</Text></P3para></P3></P2para></P2>
      </P1para>
     </P1>
    </P1group>
   </Part>
  </Body>
  <Schedules><Schedule id="schedule-2"><Number>SCHEDULE 2</Number><TitleBlock><Title>What a council publishes</Title></TitleBlock>
   <ScheduleBody><P1 id="schedule-2-paragraph-3" DocumentURI="http://www.legislation.gov.uk/uksi/2014/1530/schedule/2/paragraph/3">
    <Pnumber>3</Pnumber><P1para><Text>How parents can ask for help with transport.</Text></P1para></P1></ScheduleBody>
  </Schedule></Schedules>
 </Secondary>
</Legislation>
"""

ACT_HTML = """<!DOCTYPE html><html lang="en"><head><title>Children and Families Act 2014 - Part 3</title></head>
<body><header><nav><a href="/">legislation.gov.uk</a> <a href="/browse">Browse</a></nav></header>
<div id="layout2"><div id="viewLegContents"><div class="LegSnippet">
 <h2 class="LegPartFirst"><span class="LegPartNo">Part 3</span><span class="LegPartTitle">Young people with additional needs</span></h2>
 <h3 class="LegP1GroupTitleFirst"><span class="LegP1No" id="section-42">42</span>Making sure the help in a plan happens</h3>
 <p class="LegClearFix LegP2ParaText"><span class="LegDS LegP2No" id="section-42-1">(1)</span>This section covers a child who has a plan.</p>
 <p class="LegClearFix LegP2ParaText"><span class="LegDS LegP2No" id="section-42-2">(2)</span>The council must arrange the teaching
  help written in the plan<a class="LegCommentaryLink" href="#c1">F1</a>.</p>
 <h3 class="LegP1GroupTitle"><span class="LegP1No" id="section-43">43</span>Schools named in a plan</h3>
 <p class="LegText">A school named in a plan must let the child in.</p>
 <div class="LegAnnotations"><p>Textual amendments: F1 words inserted by a later test Act.</p></div>
</div></div></div>
<footer><p>All content is available under the Open Government Licence v3.0</p></footer></body></html>
"""

SI_HTML = """<html><head><title>The Special Educational Needs and Disability Regulations 2014</title></head><body>
<div id="viewLegContents">
 <h4 class="LegP1GroupTitleFirst">Deadlines for plans</h4>
 <p class="LegClearFix LegP1ContainerFirst"><span class="LegDS LegP1No" id="regulation-13">13.</span><span class="LegDS LegP2No" id="regulation-13-1">—(1)</span><span class="LegDS LegRHS LegP2Text">The council must send the final plan within a set number of weeks.</span></p>
 <p class="LegClearFix LegP2Container"><span class="LegDS LegP2No" id="regulation-13-2">(2)</span><span class="LegDS LegRHS LegP2Text">The deadline does not apply where—</span></p>
 <p class="LegClearFix LegP3Container"><span class="LegDS LegP3No" id="regulation-13-2-a">(a)</span><span class="LegDS LegRHS LegP3Text">the family asks for more time;</span></p>
</div></body></html>
"""


def by_ref(result):  # type: ignore[no-untyped-def]
    return {d.ref: d for d in result.documents}


def test_act_xml_subsections_refs_urls_and_heading_path() -> None:
    docs = by_ref(parse_xml(ACT_XML.encode(), status=LegalStatus.LAW))
    assert set(docs) == {"s.19", "s.42(1)", "s.42(2)"}
    s42 = docs["s.42(2)"]
    assert s42.source == "Children and Families Act 2014"
    assert s42.text == "(2) The council must arrange the teaching help written in the plan."
    assert s42.url == "https://www.legislation.gov.uk/ukpga/2014/6/section/42"
    assert s42.title == "Making sure the help in a plan happens"
    assert s42.extra["heading"] == "Part 3 Young people with additional needs (test wording) > Plans > Making sure the help in a plan happens"
    assert s42.doc_id == "legislation/children-and-families-act-2014/s-42-2"
    assert all(d.kind is PassageKind.OFFICIAL for d in docs.values())  # the publisher's own words
    s19 = docs["s.19"].text
    assert s19.splitlines() == [
        "When it acts under this Part a council must think about—",
        "- (a) what the child and the family want;",
        "- (b) how the family can take part in decisions.",
    ]
    assert "later test Act" not in " ".join(d.text for d in docs.values())  # commentaries dropped


def test_si_xml_regulations_and_schedule(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text(SI_XML)
    docs = by_ref(load_legislation(path, status=LegalStatus.LAW))
    assert set(docs) == {"reg 13(1)", "reg 13(2)", "Sch 2 para 3"}
    assert docs["reg 13(1)"].source == "SEND Regulations 2014"
    assert docs["reg 13(2)"].text.splitlines() == ["(2) The deadline does not apply where—", "- (a) the family asks for more time;"]
    assert docs["reg 13(1)"].url == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13"
    assert docs["Sch 2 para 3"].extra["heading"].startswith("SCHEDULE 2 What a council publishes")
    from assistant.sources import format_citation

    assert format_citation(docs["reg 13(1)"].source, docs["reg 13(1)"].ref) == "SEND Regulations 2014, reg 13(1)"


def test_act_html_page_drops_navigation_and_annotations(tmp_path: Path) -> None:
    path = tmp_path / "part-3.html"
    path.write_text(ACT_HTML)
    docs = by_ref(load_legislation(path, status=LegalStatus.LAW))
    assert set(docs) == {"s.42(1)", "s.42(2)", "s.43"}
    assert docs["s.42(2)"].text == "(2) The council must arrange the teaching help written in the plan."
    assert docs["s.42(2)"].title == "Making sure the help in a plan happens"
    assert docs["s.43"].text == "A school named in a plan must let the child in."
    assert docs["s.43"].url == "https://www.legislation.gov.uk/ukpga/2014/6/section/43"
    everything = " ".join(d.text for d in docs.values())
    assert "Browse" not in everything and "Open Government Licence" not in everything and "Textual amendments" not in everything


def test_si_html_regulation_with_lettered_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "reg-13.html"
    path.write_text(SI_HTML)
    docs = by_ref(load_legislation(path, status=LegalStatus.LAW))
    assert docs["reg 13(1)"].text == "(1) The council must send the final plan within a set number of weeks."
    assert docs["reg 13(2)"].text.splitlines()[-1] == "- (a) the family asks for more time;"
    assert docs["reg 13(1)"].title == "Deadlines for plans"


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "empty"), ("<Legislation><broken", "not well-formed"), ("<?xml version='1.0'?><Other/>", "not legislation.gov.uk XML")],
)
def test_bad_files_raise_specific_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content)
    with pytest.raises(IngestError, match=message):
        load_legislation(path, status=LegalStatus.LAW)


def test_page_without_provisions_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "other.html"
    path.write_text("<html><body><p>Nothing to see.</p></body></html>")
    with pytest.raises(IngestError, match="no sections, regulations"):
        load_legislation(path, status=LegalStatus.LAW)
