"""The routing data files: decisions, their labels and example messages, and the services.

Each ``data/*.yaml`` file (except ``services.yaml`` and ``thresholds.yaml``) describes labels for
one classifier (``classifier:``). A label says where a message goes (``route``, ``status``,
``reason``), what to reply and which services to show, and holds the example messages its
classifier learns from. A label may split its examples into ``groups`` that only change the
reply (the nearest example's group is used): "where to go instead" for out-of-scope messages,
the question asked back for a message that needs context.

    >>> files = load_decisions()
    >>> sorted(files)[:3]
    ['appeal_decisions', 'jurisdiction', 'message']
    >>> files["message"].labels["emergency"].route
    'safeguarding/emergency'
    >>> service("samaritans").phone
    '116 123'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from assistant.models import AnswerStatus, Signpost

# libyaml's C parser when the wheel has it: the same result as yaml.safe_load, about 15x faster.
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["DecisionSet", "Example", "Group", "Label", "Service", "data_digest", "load_decisions", "render",
           "service", "services", "signposts"]

NOT_DECISIONS = {"services.yaml", "thresholds.yaml"}


@dataclass(frozen=True)
class Service:
    """One helpline or service, exactly as services.yaml gives it."""

    key: str
    name: str
    phone: str | None = None
    hours: str | None = None
    url: str | None = None
    note: str | None = None
    checked: str = ""

    @property
    def signpost(self) -> Signpost:
        note = " ".join(x for x in (self.note, f"Open {self.hours}." if self.hours else None) if x) or None
        return Signpost(name=self.name, url=self.url, phone=self.phone, note=note)


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    reply: str = ""
    where: str = ""
    signposts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Label:
    name: str
    route: str
    status: AnswerStatus | None
    reason: str
    reply: str
    signposts: tuple[str, ...]
    groups: dict[str, Group] = field(default_factory=dict)
    only_without_history: bool = False
    source: str = ""

    @property
    def safeguarding(self) -> bool:
        return self.status is AnswerStatus.SAFEGUARDING


@dataclass
class DecisionSet:
    """All the labels one classifier chooses between, gathered from every file that names it."""

    name: str
    labels: dict[str, Label] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def texts(self) -> list[str]:
        return [e.text for e in self.examples]

    def label_names(self) -> list[str]:
        return list(self.labels)


def _read(name: str) -> str:
    return resources.files("assistant.routing").joinpath("data", name).read_text(encoding="utf-8")


def _data_files() -> list[str]:
    folder = resources.files("assistant.routing").joinpath("data")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))


def data_digest() -> str:
    """A hash of every routing data file: what cached exemplar vectors and weights depend on."""
    digest = hashlib.sha256()
    for name in _data_files():
        if name == "thresholds.yaml":
            continue
        digest.update(name.encode())
        digest.update(_read(name).encode("utf-8"))
    return digest.hexdigest()


def _label(name: str, spec: dict[str, Any], source: str) -> tuple[Label, list[Example]]:
    status = spec.get("status")
    groups: dict[str, Group] = {}
    examples = [Example(str(t).strip(), name) for t in spec.get("examples") or []]
    for group_name, group in (spec.get("groups") or {}).items():
        groups[group_name] = Group(group_name, str(group.get("reply") or "").strip(), str(group.get("where") or "").strip(),
                                   tuple(group.get("signposts") or ()))
        examples += [Example(str(t).strip(), name, group_name) for t in group.get("examples") or []]
    label = Label(
        name=name,
        route=str(spec.get("route", name)),
        status=AnswerStatus(status) if status else None,
        reason=str(spec.get("reason", name) or ""),
        reply=str(spec.get("reply") or "").strip(),
        signposts=tuple(spec.get("signposts") or ()),
        groups=groups,
        only_without_history=bool(spec.get("only_without_history", False)),
        source=source,
    )
    return label, examples


@lru_cache(maxsize=1)
def load_decisions() -> dict[str, DecisionSet]:
    """Every classifier's labels and examples, from all the decision files."""
    sets: dict[str, DecisionSet] = {}
    for name in _data_files():
        if name in NOT_DECISIONS:
            continue
        spec = yaml.load(_read(name), Loader=_YAML)
        decision = sets.setdefault(spec["classifier"], DecisionSet(spec["classifier"]))
        for key, value in spec.items():
            if key not in ("classifier", "labels"):
                decision.extra[key] = value
        for label_name, label_spec in (spec.get("labels") or {}).items():
            if label_name in decision.labels:
                raise ValueError(f"label {label_name!r} is defined twice for classifier {spec['classifier']!r}")
            label, examples = _label(label_name, label_spec, name)
            decision.labels[label_name] = label
            decision.examples += examples
            if label_spec.get("borrow_route"):
                decision.extra.setdefault("_borrow", {})[label_name] = label_spec["borrow_route"]
    for decision in sets.values():
        for name, label_spec in decision.extra.pop("_borrow", {}).items():
            lent = [e for other in sets.values() if other is not decision for e in other.examples
                    if other.labels[e.label].route == label_spec]
            decision.examples += [Example(e.text, name, "borrowed") for e in lent]
    for decision in sets.values():
        for label in decision.labels.values():
            unknown = [s for s in label.signposts if s not in services()]
            unknown += [s for g in label.groups.values() for s in g.signposts if s not in services()]
            if unknown:
                raise ValueError(f"{label.source}: label {label.name!r} names unknown services {unknown}")
    return sets


@lru_cache(maxsize=1)
def services() -> dict[str, Service]:
    """Every service in services.yaml, by key."""
    spec = yaml.load(_read("services.yaml"), Loader=_YAML)["services"]
    fields = ("name", "phone", "hours", "url", "note")
    return {key: Service(key=key, checked=str(value.get("checked", "")),
                         **{f: (str(value[f]) if value.get(f) is not None else None) for f in fields})  # type: ignore[arg-type]
            for key, value in spec.items()}


def service(key: str) -> Service:
    return services()[key]


def signposts(keys: tuple[str, ...] | list[str]) -> list[Signpost]:
    return [service(k).signpost for k in keys]


class _Fields:
    """`{samaritans.phone}` in a reply: attribute access on a service, "" for a missing field."""

    def __init__(self, svc: Service) -> None:
        self._svc = svc

    def __getattr__(self, name: str) -> str:
        return str(getattr(self._svc, name) or "")


def render(template: str, *, front_door: str | None = None) -> str:
    """A reply with its service fields filled in.

    >>> render("Call {samaritans.phone}, {samaritans.hours}.")
    'Call 116 123, any time, day or night.'
    """
    fields: dict[str, Any] = {key: _Fields(svc) for key, svc in services().items()}
    care = service("childrens_social_care")
    fields["front_door"] = front_door or f"{care.note}"
    return template.format(**fields)
