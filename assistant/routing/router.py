"""Routing by meaning: where a message goes, decided from the one vector retrieval also uses.

``Router.route`` looks at a message's vector (and its words, for place names) and returns a
``Routed``: the route ("safeguarding/abuse", "jurisdiction/wales", "prediction", "answer"...),
and, when the flow stops there, the status, reply and signposts. In order:

1. **safeguarding**: if the summed probability of the safeguarding kinds reaches the
   calibrated threshold, the most likely kind decides the reply (999 first for a missing child,
   the LADO for an adult who works with children, Samaritans for a parent in crisis...);
2. **jurisdiction**: a place or system outside England that the message places the family in
   (by meaning: "we live in Cardiff", not "we moved from Cardiff"), or one stated earlier in the
   conversation;
3. **the other labels**: refusals (falsifying evidence, injected instructions), a message that
   needs context with nothing to refer to, out of scope, a council's own figures, predictions
   (answered after a plain decline line), distress (answered, with one line of support);
4. otherwise **answer**.

``Router.tool`` and ``Router.appeal_decision`` decide, from the same vector, whether a
deterministic tool answers an ordinary question and which decision an appeal is about.

    >>> router = Router.build(embedder, cache=None, model="all-MiniLM-L6-v2")   # doctest: +SKIP
    >>> router.route(embedder.embed(["we live in Swansea, can I appeal the IDP?"])[0],
    ...              text="we live in Swansea, can I appeal the IDP?").route        # doctest: +SKIP
    'jurisdiction/wales'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.models import AnswerStatus, Signpost
from assistant.ports import Embedder
from assistant.routing.cache import Trained, load_or_build
from assistant.routing.classify import Model, NearestExemplars, grouped, safeguarding_score
from assistant.routing.data import DecisionSet, Label, load_decisions, render, signposts
from assistant.routing.facts import Facts
from assistant.routing.places import nations_named
from assistant.routing.thresholds import Thresholds, load_thresholds

__all__ = ["Routed", "Router"]

ANSWER = "answer"
FrontDoor = Callable[[str | None], "str | None"]


@dataclass(frozen=True)
class Routed:
    """Where a message goes. ``status`` is set when the flow stops with ``reply``; for
    "prediction" and "distress" the flow goes on and ``reply`` is shown before / after the answer."""

    route: str = ANSWER
    status: AnswerStatus | None = None
    reason: str = ""
    reply: str = ""
    signposts: tuple[Signpost, ...] = ()
    label: str = ""
    score: float = 0.0
    place: str | None = None  # where this message places the family, to remember for the conversation

    @property
    def stops(self) -> bool:
        return self.status is not None

    @property
    def safeguarding(self) -> bool:
        return self.status is AnswerStatus.SAFEGUARDING


@dataclass
class _Classifier:
    decision: DecisionSet
    model: Model
    nearest: NearestExemplars
    labels: list[str] = field(default_factory=list)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        return self.model.scores(vector.reshape(1, -1).astype(np.float32))[0]

    def near(self, vector: np.ndarray) -> np.ndarray:
        """The nearest examples' score for each label (whatever model decides)."""
        return self.nearest.scores(vector.reshape(1, -1).astype(np.float32))[0]

    def group_of(self, vector: np.ndarray, label: str) -> str:
        """The group of the example of ``label`` nearest ``vector`` ("" when the label has none)."""
        rows = [i for i, e in enumerate(self.decision.examples) if e.label == label]
        return self.decision.examples[self.nearest.nearest(vector, rows)].group if rows else ""


class Router:
    def __init__(self, trained: Trained, *, thresholds: Thresholds | None = None,
                 decisions: dict[str, DecisionSet] | None = None, front_door: FrontDoor | None = None) -> None:
        self.decisions = decisions or load_decisions()
        self.thresholds = thresholds or load_thresholds()
        self.front_door = front_door or (lambda local_authority: None)
        self.classifiers: dict[str, _Classifier] = {}
        for name, decision in self.decisions.items():
            labels = decision.label_names()
            y = np.array([labels.index(e.label) for e in decision.examples])
            nearest = NearestExemplars(labels, trained.vectors[name], y, k=int(self.thresholds.param(name, "k")))
            model: Model = trained.logistic[name] if self.thresholds.model(name) == "logistic" else nearest
            self.classifiers[name] = _Classifier(decision, model, nearest, labels)
        message = self.classifiers["message"]
        self._sg = np.array([message.decision.labels[n].safeguarding for n in message.labels])
        self._ordinary = np.array([message.decision.labels[n].route == ANSWER for n in message.labels])
        # the labels that read as the parent's own state: distress, or a parent's crisis
        self._own = np.array([message.decision.labels[n].route == "distress"
                              or message.decision.labels[n].reason == "parent_crisis" for n in message.labels])

    def with_front_door(self, front_door: FrontDoor) -> Router:
        """This router (same classifiers, no new training) naming the councils' front doors."""
        clone = object.__new__(Router)
        clone.__dict__.update(self.__dict__)
        clone.front_door = front_door
        return clone

    @classmethod
    def build(cls, embedder: Embedder, *, cache: Path | None, model: str, front_door: FrontDoor | None = None) -> Router:
        """The router over the shipped data, its vectors and weights read from ``cache`` when current."""
        return cls(load_or_build(embedder, cache=cache, model=model), front_door=front_door)

    # --- the message -----------------------------------------------------------------------

    def route(self, vector: np.ndarray, *, text: str, history: bool = False, facts: Facts | None = None,
              local_authority: str | None = None, parts: Sequence[tuple[str, np.ndarray]] = (),
              lookup: bool = False) -> Routed:
        """Where the message with this vector (and these words) goes.

        ``parts``: the message's sentences (or separate asks) with their vectors, when it has
        more than one. A crisis written in one sentence of a long SEND question is diluted in the
        whole message's vector, so each part is also looked at: a part that reads clearly as
        safeguarding (``safeguarding_part``, with the nearest examples agreeing) stops the flow; a
        part that reads as the parent's own distress adds the line of support to the answer. (Where
        the family lives is judged on the whole message: a short "we live in Leeds" part on its
        own was measured to read as "in passing" far too often.)

        ``lookup``: the message is nothing but references ("reg 5(1)", "CoP 9.14?"), which the
        caller knows from its form. A few characters of citation carry too little meaning for
        the classifiers (they read as noise: "s.42" alone scored as a crisis), and a message made
        only of citations can say nothing else, so it goes to the answer engine."""
        if lookup:
            return Routed(label=ANSWER, score=1.0)
        found = self.safeguarding(vector, local_authority=local_authority)
        if found is None:
            found = self._part_safeguarding(parts, local_authority=local_authority)
        if found is not None:
            return found
        place = self.jurisdiction(vector, text=text, facts=facts or Facts())
        if place is not None and place.stops:
            return place
        other = self._other(vector, history=history, local_authority=local_authority)
        if other.route == ANSWER and parts:
            other = self._part_distress(parts) or other
        return replace(other, place=place.place) if place is not None else other

    def safeguarding(self, vector: np.ndarray, *, local_authority: str | None = None) -> Routed | None:
        """The reply for the most likely safeguarding kind, when the message reads as one.

        With logistic regression: its summed safeguarding probability at or above ``safeguarding_sure``;
        or at or above ``safeguarding`` when the nearest examples agree (the nearest kind beats the
        nearest other label by ``safeguarding_margin``)."""
        message = self.classifiers["message"]
        scores = message.scores(vector)
        score = float(safeguarding_score(message.model.kind, scores[None, :], self._sg)[0])
        if score < self.thresholds.safeguarding():
            return None
        sure = self.thresholds.spec.get("message", {}).get("safeguarding_sure")
        if message.model.kind == "logistic" and sure is not None and score < float(sure):
            if self._nearest_margin(vector) < float(self.thresholds.spec["message"].get("safeguarding_margin", 0.0)):
                return None
        return self._kind_stop(scores, score, local_authority=local_authority)

    def _nearest_margin(self, vector: np.ndarray) -> float:
        """How far the nearest safeguarding kind beats the nearest other label (>= 0: they agree)."""
        return float(safeguarding_score("nearest", self.classifiers["message"].near(vector)[None, :], self._sg)[0])

    def _kind_stop(self, scores: np.ndarray, score: float, *, local_authority: str | None) -> Routed:
        """The reply of the most likely safeguarding kind."""
        message = self.classifiers["message"]
        kinds = np.where(self._sg)[0]
        label = message.decision.labels[message.labels[int(kinds[int(np.argmax(scores[kinds]))])]]
        return self._stop(label, score, local_authority=local_authority)

    def _part_safeguarding(self, parts: Sequence[tuple[str, np.ndarray]], *,
                           local_authority: str | None) -> Routed | None:
        """The safeguarding reply when one part of the message reads clearly as a crisis."""
        limit = self.thresholds.spec.get("message", {}).get("safeguarding_part")
        if limit is None:
            return None
        message = self.classifiers["message"]
        for _, vector in parts:
            scores = message.scores(vector)
            score = float(safeguarding_score(message.model.kind, scores[None, :], self._sg)[0])
            if score >= float(limit) and self._nearest_margin(vector) >= 0.0:
                return self._kind_stop(scores, score, local_authority=local_authority)
        return None

    def _part_distress(self, parts: Sequence[tuple[str, np.ndarray]]) -> Routed | None:
        """The answer with a line of support when a part reads most like the parent's own distress
        (a tired or upset sentence, or one nearer a parent's crisis than anything else, in a
        message that as a whole is an ordinary question)."""
        message = self.classifiers["message"]
        distress = message.decision.labels.get("distress")
        if distress is None:
            return None
        kind = message.model.kind
        for _, vector in parts:
            scores = message.scores(vector)
            top = int(np.argmax(scores))
            if not self._own[top]:
                continue
            # the ordinary labels are one choice, as in `_other`: a part is the parent's own state
            # only when that reads likelier than an ordinary question (seven ordinary labels share
            # an ordinary part's probability, so one of the two own-state labels could come first alone)
            own, ordinary = (float(grouped(kind, scores[None, :], mask)[0]) for mask in (self._own, self._ordinary))
            if own > ordinary:
                return Routed(route=distress.route, reason=distress.reason, reply=render(distress.reply),
                              signposts=tuple(signposts(distress.signposts)), label="distress",
                              score=float(scores[top]))
        return None

    def jurisdiction(self, vector: np.ndarray, *, text: str, facts: Facts) -> Routed | None:
        """A redirect for a family outside England (said now or earlier), or None; ``place`` is
        the nation this message itself places the family in, if any."""
        named = nations_named(text)
        place: str | None = None
        if named:
            classifier = self.classifiers["jurisdiction"]
            scores = classifier.scores(vector)
            passing = float(scores[classifier.labels.index("in_passing")])
            # naming only somewhere outside England: there, unless the meaning is clearly "in passing"
            alone = "england" not in named
            limit = self.thresholds.accept("jurisdiction", "in_passing_alone" if alone else "in_passing", 0.5)
            if passing < limit:
                place = named[-1]
        where = place if place is not None else facts.outside_england
        if where is None or where == "england":
            return Routed(place=place) if place else None
        nation = self.decisions["jurisdiction"].extra["nations"][where]
        return Routed(route=nation["route"], status=AnswerStatus.OUT_OF_SCOPE, reason=where,
                      reply=render(nation["reply"].strip()), signposts=tuple(signposts(nation.get("signposts", []))),
                      label="resident", place=place)

    def _other(self, vector: np.ndarray, *, history: bool, local_authority: str | None) -> Routed:
        message = self.classifiers["message"]
        scores = message.scores(vector)
        kind = message.model.kind
        ordinary = float(grouped(kind, scores[None, :], self._ordinary)[0])
        candidates = [(float(scores[j]), name) for j, name in enumerate(message.labels)
                      if not self._sg[j] and not self._ordinary[j]]
        score, name = max(candidates)
        label = message.decision.labels[name]
        if (score <= ordinary or score < self.thresholds.accept("message", name)) and not self._agreed(vector, scores, name):
            return Routed(label=ANSWER, score=ordinary)
        if label.only_without_history and history:
            return Routed(label=ANSWER, score=ordinary)
        group = message.group_of(vector, name) if label.groups else ""
        if label.status is AnswerStatus.ANSWERED:  # prediction, distress: the answer engine goes on
            return Routed(route=label.route, reason=label.reason, reply=render(label.reply),
                          signposts=tuple(signposts(label.signposts)), label=name, score=score)
        return self._stop(label, score, group=group, local_authority=local_authority)

    def _agreed(self, vector: np.ndarray, scores: np.ndarray, name: str) -> bool:
        """A label that stops the flow (a refusal, out of scope...) is also taken when it is the
        single most likely label both for the model and for the nearest examples, at or above
        ``agree_floor``. A request to fake a report often splits its probability between
        "falsify" and the ordinary labels of its topic (an EP report, the tribunal), so it loses
        to their sum; the two classifiers agreeing on it is the better evidence. (How the floor
        was set, and what it costs, is in routing/calibrate.py at AGREE_FLOOR.)"""
        floor = self.thresholds.spec.get("message", {}).get("agree_floor")
        message = self.classifiers["message"]
        label = message.decision.labels[name]
        if floor is None or label.status in (None, AnswerStatus.ANSWERED) or float(np.max(scores)) < float(floor):
            return False
        best = message.labels[int(np.argmax(scores))]
        return best == name and message.labels[int(np.argmax(message.near(vector)))] == name

    def _stop(self, label: Label, score: float, *, group: str = "", local_authority: str | None = None) -> Routed:
        reply, keys = label.reply, list(label.signposts)
        chosen = label.groups.get(group)
        if chosen is not None:
            reply = chosen.reply or reply
            if chosen.where:
                reply = f"{reply}\n\n{chosen.where}"
            keys += [k for k in chosen.signposts if k not in keys]
        text = render(reply, front_door=self.front_door(local_authority))
        return Routed(route=label.route, status=label.status, reason=label.reason, reply=text,
                      signposts=tuple(signposts(keys)), label=label.name, score=score)

    # --- tools ------------------------------------------------------------------------------

    def tool(self, vector: np.ndarray) -> str | None:
        """ "appeal_route", "deadlines" or None (the answer engine)."""
        classifier = self.classifiers["tools"]
        scores = classifier.scores(vector)
        best = int(np.argmax(scores))
        name = classifier.labels[best]
        if name == "engine" or scores[best] < self.thresholds.accept("tools", name):
            return None
        # the nearest examples must not put the tool clearly behind another label: a tool that
        # answers the wrong question is worse than the answer engine answering the right one
        slack = self.thresholds.spec.get("tools", {}).get("near_slack")
        if slack is not None:
            near = classifier.near(vector)
            if near[best] < float(near.max()) - float(slack):
                return None
        return name

    def appeal_decision(self, vector: np.ndarray) -> str | None:
        """The DecisionType value of the decision an appeal question is about, or None when the
        classifier is not sure enough (``appeal_decisions.sure``) or it is "other": the card for
        the wrong decision would state the wrong route and deadline, so the answer engine answers."""
        classifier = self.classifiers["appeal_decisions"]
        scores = classifier.scores(vector)
        best = int(np.argmax(scores))
        label = classifier.labels[best]
        if label == "other" or float(scores[best]) < float(self.thresholds.param("appeal_decisions", "sure") or 0.0):
            return None
        return label
