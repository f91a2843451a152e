"""What the trust calls things: its levels and its rating positions (DESIGN §7: every word from the trust).

Pure and part of the kernel, beside ``pmf.formatting``: a page, a PDF, a rating explanation, escalation
evidence and an e-mail take their words from one ``TrustWords``, so an ambulance trust's pages say
"Directorate" wherever an acute trust's say "Division". ``divisions.words.trust_words`` reads the trust's
own words; ``TrustWords()`` is the generic vocabulary, for a deployment with no trust yet and for tests.

A word is held as the trust wrote it ("Service line"); in the middle of a sentence it is written in lower
case ("each service line's").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

LEVELS: Final = ("trust", "division", "service", "team")

GENERIC_SINGULAR: Final = {"trust": "Trust", "division": "Division", "service": "Service", "team": "Team"}
GENERIC_PLURAL: Final = {"trust": "Trusts", "division": "Divisions", "service": "Services", "team": "Teams"}

_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z]+)\}")

# The managers held for one service or one team, and the level each manages (``pmf.roles``'s
# ``UNIT_MANAGER_ROLES``): each is named after the trust's word for that level ("Specialty manager",
# "Ward manager") ...
MANAGER_LEVELS: Final = {"service_manager": "service", "ward_manager": "team"}
# ... except where a kind of trust has its own name for the post: an ambulance trust's team is run from a
# station by a station manager (YAS: "station or team").
MANAGER_NAMES_BY_TRUST_TYPE: Final = {"ambulance": {"ward_manager": "Station manager"}}

# The positions' names in DESIGN §4.5 (the ULHT framework's), used where the trust named none.
GENERIC_POSITION_NAMES: Final = {1: "Maximum autonomy", 2: "Performing", 3: "Under review", 4: "Failing"}


@dataclass(frozen=True)
class TrustWords:
    """The trust's words for each level (singular and plural) and for each rating position."""

    singular: Mapping[str, str] = field(default_factory=lambda: dict(GENERIC_SINGULAR))
    plural: Mapping[str, str] = field(default_factory=lambda: dict(GENERIC_PLURAL))
    position_names: Mapping[int, str] = field(default_factory=dict)
    manager_names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        labels: Mapping[str, tuple[str, str]],
        position_names: Mapping[str, str] | Mapping[int, str] | None = None,
        trust_type: str = "",
    ) -> TrustWords:
        """The words from the trust's level labels ({level: (singular, plural)}), its position names
        ({"1": name}, as the trust's profile holds them) and its kind (``trust_type``, for the names of its
        managers); a level or position it did not name keeps the generic word. Blank names count as not
        named."""
        singular = dict(GENERIC_SINGULAR)
        plural = dict(GENERIC_PLURAL)
        for level, (one, many) in labels.items():
            if level in singular and one.strip():
                singular[level] = one.strip()
                plural[level] = many.strip() or f"{one.strip()}s"
        names = {}
        for key, name in (position_names or {}).items():
            if str(key).strip().isdigit() and int(key) in GENERIC_POSITION_NAMES and str(name).strip():
                names[int(key)] = str(name).strip()
        managers = dict(MANAGER_NAMES_BY_TRUST_TYPE.get(trust_type, {}))
        return cls(singular=singular, plural=plural, position_names=names, manager_names=managers)

    # One attribute per word: a template writes {{ trust_words.division }}, {{ trust_words.services|lower }}.
    @property
    def trust(self) -> str:
        return self.singular["trust"]

    @property
    def division(self) -> str:
        return self.singular["division"]

    @property
    def divisions(self) -> str:
        return self.plural["division"]

    @property
    def service(self) -> str:
        return self.singular["service"]

    @property
    def services(self) -> str:
        return self.plural["service"]

    @property
    def team(self) -> str:
        return self.singular["team"]

    @property
    def teams(self) -> str:
        return self.plural["team"]

    def level(self, level: str, *, many: bool = False) -> str:
        """The word for a level code ("division" → "Directorate"); an unknown code is given back as it is."""
        return (self.plural if many else self.singular).get(level, level)

    def fill(self, text: str) -> str:
        """``text`` with each level's placeholder written in the trust's words, in the middle of a sentence:
        ``{division}`` and ``{divisions}`` (likewise ``{service}``, ``{team}`` …) in lower case,
        ``{Division}`` and ``{Divisions}`` as the trust writes them. A default text is kept with its
        placeholders, so that "the {division}'s budget" reads "the directorate's budget" in an ambulance
        trust. Braces that name no word are left as they are."""
        return _PLACEHOLDER.sub(lambda m: self._placeholder(m.group(1)) or m.group(0), text)

    def _placeholder(self, name: str) -> str | None:
        level = name.lower()
        many = level.endswith("s") and level[:-1] in LEVELS
        level = level[:-1] if many else level
        if level not in LEVELS:
            return None
        word = self.level(level, many=many)
        return word if name[0].isupper() else word.lower()

    def role(self, role: str, label: str) -> str:
        """What the trust calls a role: a service or team manager by the trust's word for the level they
        manage ("Specialty manager", "Service line manager", "Ward manager"; "Station manager" at an
        ambulance trust), any other role by its own ``label``."""
        if role in self.manager_names:
            return self.manager_names[role]
        level = MANAGER_LEVELS.get(role)
        return f"{self.level(level)} manager" if level else label

    def position_name(self, position: int | None) -> str:
        """What the trust calls rating position `position`; the DESIGN §4.5 name where it named none."""
        if position is None:
            return ""
        return self.position_names.get(position) or GENERIC_POSITION_NAMES.get(position, str(position))


def reworded(stored: str, template: str, before: TrustWords, after: TrustWords) -> str | None:
    """A default text written in the trust's earlier words, written in its new ones: ``template`` filled with
    ``after`` when ``stored`` is exactly ``template`` filled with ``before``; None when the trust has edited
    the text (it is theirs, so it is left as it is) or the new words read the same."""
    if stored != before.fill(template):
        return None
    new = after.fill(template)
    return new if new != stored else None
