"""Words and sentence patterns for the generated data set: plausible titles, texts, names.

Everything here is invented; the texts read like commitments and reports without being any
real one. Every function takes the random generator it draws from, so that a seed decides all.
"""

from __future__ import annotations

import random

COUNTRIES = [
    "ALB", "ARG", "ARM", "AUS", "AUT", "AZE", "BEL", "BEN", "BFA", "BGD", "BGR", "BIH", "BOL",
    "BRA", "BTN", "BWA", "CAN", "CHE", "CHL", "CIV", "CMR", "COD", "COL", "CPV", "CRI", "CZE",
    "DEU", "DNK", "DOM", "ECU", "ESP", "EST", "FIN", "FJI", "FRA", "GBR", "GEO", "GHA", "GMB",
    "GRC", "GTM", "HND", "HRV", "HUN", "IDN", "IND", "IRL", "ISL", "ISR", "ITA", "JAM", "JOR",
    "JPN", "KEN", "KGZ", "KOR", "LBR", "LKA", "LTU", "LUX", "LVA", "MAR", "MDA", "MDG", "MEX",
    "MKD", "MLI", "MLT", "MNE", "MNG", "MOZ", "MWI", "MYS", "NAM", "NER", "NGA", "NLD", "NOR",
    "NPL", "NZL", "PAK", "PAN", "PER", "PHL", "POL", "PRT", "PRY", "ROU", "SEN", "SLE", "SLV",
    "SRB", "SVK", "SVN", "SWE", "TUN", "UKR", "URY", "USA", "ZAF",
]
"""One hundred ISO 3166-1 alpha-3 codes, most of them of Open Government Partnership members."""

SUMMIT = {"AFG", "ARG", "AUS", "BGR", "CHE", "COL", "ESP", "FRA", "GBR", "GEO", "GHA", "IDN",
          "IRL", "ITA", "JOR", "JPN", "KEN", "MEX", "MLT", "NGA", "NLD", "NOR", "NZL", "SWE",
          "TUN", "UKR", "USA", "BRA", "CAN", "DEU", "FIN", "PER", "SEN", "ZAF", "MDA", "MNG"}
"""Countries given Summit pledges (tracked under the TI pledge tracker) as well."""

THEME_OBJECTS: dict[str, list[str]] = {
    "anti_corruption": ["an anti-corruption strategy", "integrity plans in ministries",
                        "conflict-of-interest rules for senior officials",
                        "a corruption risk map of public bodies"],
    "access_to_information": ["the right to information law", "a central portal for "
                              "information requests", "proactive disclosure by municipalities",
                              "an information commissioner's office"],
    "asset_disclosure": ["asset declarations of public officials", "an electronic system for "
                         "asset declarations", "the verification of declared assets"],
    "asset_recovery": ["the return of stolen assets", "a register of frozen assets",
                       "cooperation on asset tracing"],
    "beneficial_ownership": ["a public register of beneficial owners", "beneficial ownership "
                             "data of companies bidding for public contracts",
                             "the verification of beneficial ownership filings"],
    "civic_space": ["consultation of civil society on draft laws", "a permanent "
                    "multi-stakeholder forum", "the protection of journalists"],
    "extractive_industries": ["contracts of mining and oil companies", "payments from "
                              "extractive companies to the state", "licences for mineral "
                              "exploration"],
    "fiscal_openness": ["a citizens' budget", "budget execution data", "the audit reports of "
                        "the supreme audit institution", "subsidies to state-owned companies"],
    "law_enforcement": ["the prosecution of corruption cases", "statistics on corruption "
                        "convictions", "a specialised anti-corruption court"],
    "lobbying": ["a register of lobbyists", "the meetings of ministers with lobbyists",
                 "rules on the revolving door"],
    "open_contracting": ["the Open Contracting Data Standard for public contracts", "contract "
                         "documents and amendments", "the performance of public works"],
    "open_data": ["an open data portal", "a national open data policy", "data on public "
                  "spending in machine-readable formats"],
    "public_procurement": ["e-procurement for all public tenders", "the debarment of "
                           "fraudulent suppliers", "procurement plans of public bodies"],
    "whistleblower_protection": ["a law protecting whistleblowers", "secure channels for "
                                 "reporting wrongdoing", "training for whistleblowing officers"],
}

VERBS = ["Publish", "Establish", "Strengthen", "Implement", "Adopt", "Create", "Improve",
         "Expand", "Review", "Open up", "Institutionalise", "Monitor"]
QUALIFIERS = ["", "", "in open formats", "at the subnational level", "with civil society",
              "across all ministries", "by the end of the plan", "for the health sector",
              "in the construction sector", "with independent oversight"]
INSTITUTIONS = ["Ministry of Finance", "Ministry of Justice", "Public Procurement Authority",
                "Office of the Auditor General", "Anti-Corruption Commission",
                "Ministry of Public Administration", "Companies Registry",
                "Information Commissioner", "Ministry of Mines and Energy",
                "National Statistics Office", "Ministry of the Interior",
                "Office of the President", "Ministry of Health", "Open Government Unit"]
ACTIVITIES = [
    "The {institution} drafted the regulation and circulated it for comment.",
    "A working group with civil society met {count} times during the period.",
    "The first dataset was published on the portal and has been updated monthly.",
    "Funding for the system was approved in the annual budget.",
    "Training was delivered to {count}0 officials in the regions.",
    "The law was submitted to parliament and passed its first reading.",
    "A pilot ran in {count} municipalities before the national roll-out.",
    "The data published so far covers only part of what was promised.",
    "No public evidence of the announced activities could be found.",
    "The platform is online but several fields required by the standard are missing.",
    "An independent evaluation of the first year was commissioned.",
    "Civil-society organisations were consulted on the terms of reference.",
]
ASSESSMENTS = [
    "We consider the commitment to be on track.",
    "Progress has been slower than planned because of the budget cycle.",
    "The remaining activities are scheduled for the next semester.",
    "Our monitoring shows that the published data is incomplete.",
    "Interviews with users of the system confirm that it is working.",
    "The deadline set in the action plan will not be met.",
]
ENDORSEMENTS = ["We agree with this assessment.", "Our monitoring confirms this status.",
                "", "The evidence given matches what we observed."]
CHALLENGES = ["The evidence does not support this status: {activity}",
              "We disagree. {activity} The government's claim overstates the progress.",
              "Our own monitoring finds less progress. {activity}"]
RESPONSES = ["The additional documents are now published on the ministry's website.",
             "We acknowledge the delay and have set a new timetable.",
             "The figures quoted by the challenge refer to an earlier period."]
REVISION_REASONS = ["New evidence was published after our first report.",
                    "The first report used figures from the wrong period.",
                    "A correction after a review by our legal team."]
WITHDRAWAL_REASONS = ["Reported on the wrong commitment by mistake.",
                      "Submitted before it was approved internally.",
                      "Duplicate of another report."]
CSO_NAMES = ["Transparency Watch", "Citizens' Budget Coalition", "Open Data Network",
             "Centre for Public Integrity", "Right to Know Alliance", "Procurement Monitor",
             "Civic Oversight Forum", "Investigative Journalists' Union",
             "Extractives Accountability Hub", "Women in Governance"]
INTERNATIONAL = ["Regional Integrity Network", "Global Contracting Watch",
                 "Ownership Transparency Coalition", "International Budget Observers",
                 "Pan-Continental Civic Alliance", "Whistleblowing Rights Network"]
MILESTONE_STEPS = ["Draft the legal framework", "Consult the public on the draft",
                   "Procure and build the system", "Publish the first data",
                   "Train the officials who use it", "Evaluate and report on the results"]


def title(rng: random.Random, theme: str) -> str:
    """A commitment title on ``theme``."""
    words = [rng.choice(VERBS), rng.choice(THEME_OBJECTS[theme]), rng.choice(QUALIFIERS)]
    return " ".join(word for word in words if word)


def description(rng: random.Random, theme: str, institution: str) -> str:
    """A commitment's text: its problem, its ambition, its activities."""
    subject = rng.choice(THEME_OBJECTS[theme])
    paragraphs = [
        f"Public trust suffers when {subject} is missing or incomplete. "
        f"This commitment responds to the concerns raised during the consultation.",
        f"The {institution} will lead the work with the other bodies concerned.",
        *(activity(rng, institution) for _ in range(rng.randint(1, 4))),
    ]
    return "\n\n".join(paragraphs)


def activity(rng: random.Random, institution: str) -> str:
    """One sentence about something done (or not) during a reporting period."""
    return rng.choice(ACTIVITIES).format(institution=institution, count=rng.randint(2, 9))


def narrative(rng: random.Random, institution: str) -> str:
    """The explanation of a status claim: a few activities and an assessment."""
    sentences = [activity(rng, institution) for _ in range(rng.randint(1, 4))]
    return " ".join([*sentences, rng.choice(ASSESSMENTS)])


def evidence(rng: random.Random, country: str) -> list[str]:
    """Zero to three links to published evidence."""
    count = rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]
    host = rng.choice([f"www.gov-{country.lower()}.example", f"data.{country.lower()}.example",
                       "reports.example.org"])
    return [f"https://{host}/documents/{rng.randint(1000, 99999)}" for _ in range(count)]
