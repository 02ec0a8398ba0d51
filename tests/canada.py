"""Canada's open-government tracker, converted to Accord's action-plan template.

The tracker has one row per indicator, with its milestone and commitment repeated on each row;
the template has one row per commitment, milestone and indicator (an indicator is a milestone
whose parent is a milestone). Canada numbers its commitments C01, C02... afresh in each plan,
and a reference is unique per country, so commitments are prefixed with their plan.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from accord.platform.imports.ogp_values import shortened
from accord.platform.imports.template import COLUMNS

TITLE_MAX = 500
DUE_TEXT_MAX = 200
PLAN_TITLES = {"CA-NAP4": "Canada's 4th National Action Plan on Open Government",
               "CA-NAP5": "Canada's 5th National Action Plan on Open Government",
               "CA-NAP6": "Canada's 6th National Action Plan on Open Government"}


def canada_template(tracker: Path, *, fit: bool = True) -> bytes:
    """The tracker as a template file. With ``fit``, texts over Accord's limits are shortened
    (a title's full text stays in the description); without it, they are kept as they are."""
    with tracker.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    departments: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for department in filter(None, row["lead_dept"].split(";")):
            if department not in departments[_commitment(row)]:
                departments[_commitment(row)].append(department)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    seen: set[str] = set()
    for row in rows:
        commitment = _commitment(row)
        if commitment not in seen:
            seen.add(commitment)
            writer.writerow({
                "kind": "commitment", "country": "CAN", "plan_id": row["plan_id"],
                "plan_title": PLAN_TITLES[row["plan_id"]], "plan_period": row["plan_period"],
                "reference": commitment, "title_en": row["commitment_en"],
                "title_fr": row["commitment_fr"],
                "lead_institution": ", ".join(departments[commitment]),
                "framework": "ogp-irm-completion"})
        milestone = f"{row['plan_id']}:{row['milestone_id']}"
        if milestone not in seen:
            seen.add(milestone)
            writer.writerow(_step(row, "milestone", commitment, None, fit))
        writer.writerow(_step(row, "indicator", commitment, row["milestone_id"], fit))
    return output.getvalue().encode("utf-8")


def _commitment(row: dict[str, str]) -> str:
    return f"{row['plan_id']}-{row['commitment_id']}"


def _step(row: dict[str, str], level: str, commitment: str, parent: str | None, fit: bool
          ) -> dict[str, str]:
    """A milestone (or an indicator) row: short English title, full texts, due date."""
    short, full = row[f"{level}_short_en"], row[f"{level}_en"]
    title = shortened(short, TITLE_MAX) if fit else short
    deadline = row["deadline_en"].strip() if level == "indicator" else ""
    return {
        "kind": "milestone", "country": "CAN", "commitment": commitment,
        "reference": row[f"{level}_id"], "parent": parent or "", "title_en": title,
        "text_en": full if full != title else "", "text_fr": row[f"{level}_fr"],
        "due": row["due_date"] if level == "indicator" else "",
        "due_text": shortened(deadline, DUE_TEXT_MAX) if fit else deadline,
    }
