"""United Lincolnshire Hospitals (RWD): the organisation tree and how the published
breakdowns (RTT specialties, cancer types, DM01 tests) map onto it.

Services that carry a published breakdown are real (``synthetic`` 0); services added
only to hold synthetic data, and every ward, are marked synthetic.
"""

from __future__ import annotations

from .common import org_row

TRUST = "RWD"
TRUST_NAME = "United Lincolnshire Hospitals NHS Trust"
LEVEL_LABELS = {"trust": "Trust", "division": "Division", "service": "Specialty", "team": "Ward"}

DIVISIONS = {
    "RWD-MED": "Medicine",
    "RWD-SUR": "Surgery",
    "RWD-FH": "Family Health",
    "RWD-CSS": "Clinical Support Services",
}

# code: (name, synthetic, active_to)
SERVICES: dict[str, tuple[str, int, str]] = {
    "RWD-MED-UEC": ("Urgent and emergency care", 0, ""),
    "RWD-MED-GIM": ("General internal medicine", 0, ""),
    "RWD-MED-CAR": ("Cardiology", 0, ""),
    "RWD-MED-RES": ("Respiratory medicine", 0, ""),
    "RWD-MED-GAS": ("Gastroenterology", 0, ""),
    "RWD-MED-DER": ("Dermatology", 0, ""),
    "RWD-MED-NEU": ("Neurology", 0, ""),
    "RWD-MED-RHE": ("Rheumatology", 0, ""),
    "RWD-MED-GER": ("Geriatric medicine (elderly care)", 0, ""),
    "RWD-MED-ONC": ("Oncology and haematology", 0, ""),
    "RWD-MED-OMS": ("Other medical services", 0, ""),
    "RWD-SUR-GS": ("General surgery", 0, ""),
    "RWD-SUR-URO": ("Urology", 0, ""),
    "RWD-SUR-TO": ("Trauma and orthopaedics", 0, ""),
    "RWD-SUR-ENT": ("Ear, nose and throat", 0, ""),
    "RWD-SUR-OPH": ("Ophthalmology", 0, ""),
    "RWD-SUR-OS": ("Oral surgery", 0, ""),
    "RWD-SUR-CTS": ("Cardiothoracic surgery", 0, "2025-03-31"),
    "RWD-SUR-OTH": ("Other treatment functions (not itemised)", 0, ""),
    "RWD-SUR-TCC": ("Theatres, anaesthetics and critical care", 1, ""),
    "RWD-FH-GYN": ("Gynaecology", 0, ""),
    "RWD-FH-OBS": ("Maternity", 1, ""),
    "RWD-FH-PAE": ("Paediatrics and neonatology", 0, ""),
    "RWD-CSS-IMG": ("Imaging", 0, ""),
    "RWD-CSS-PHM": ("Physiological measurement", 0, ""),
    "RWD-CSS-END": ("Endoscopy", 0, ""),
    "RWD-CSS-PAT": ("Pathology", 1, ""),
    "RWD-CSS-PHA": ("Pharmacy", 1, ""),
    "RWD-CSS-THE": ("Therapies", 1, ""),
}

LCH, PHB, GDH = "Lincoln County Hospital", "Pilgrim Hospital, Boston", "Grantham and District Hospital"

# code: name. Wards are groups of beds under one matron at one of the three main sites.
TEAMS = {
    "RWD-MED-UEC-LCH": f"Emergency department, {LCH}",
    "RWD-MED-UEC-PHB": f"Emergency department, {PHB}",
    "RWD-MED-GIM-LCH": f"Medical wards, {LCH}",
    "RWD-MED-GIM-PHB": f"Medical wards, {PHB}",
    "RWD-MED-GER-GDH": f"Frailty and elderly care wards, {GDH}",
    "RWD-SUR-GS-LCH": f"Surgical wards, {LCH}",
    "RWD-SUR-GS-PHB": f"Surgical wards, {PHB}",
    "RWD-SUR-TO-GDH": f"Orthopaedic ward, {GDH}",
    "RWD-FH-PAE-LCH": f"Children's ward, {LCH}",
    "RWD-FH-PAE-PHB": f"Children's ward, {PHB}",
    "RWD-FH-OBS-LCH": f"Maternity unit, {LCH}",
    "RWD-FH-OBS-PHB": f"Maternity unit, {PHB}",
    "RWD-CSS-IMG-LCH": f"Radiology department, {LCH}",
    "RWD-CSS-IMG-PHB": f"Radiology department, {PHB}",
}

# RTT specialty (as named in the RWD breakdown) → service. Specialties with no pathways in
# the period (medical_oncology, pediatric_surgery, restorative_dentistry) are mapped but add
# nothing. ``other_surgery`` is placed in Medicine: see the fixtures README.
RTT_SPECIALTY_SERVICE = {
    "general_medicine": "RWD-MED-GIM",
    "cardiology": "RWD-MED-CAR",
    "respiratory_medicine": "RWD-MED-RES",
    "gastroenterology": "RWD-MED-GAS",
    "dermatology": "RWD-MED-DER",
    "neurology": "RWD-MED-NEU",
    "rheumatology": "RWD-MED-RHE",
    "geriatric_medicine": "RWD-MED-GER",
    "medical_oncology": "RWD-MED-ONC",
    "other_surgery": "RWD-MED-OMS",
    "general_surgery": "RWD-SUR-GS",
    "urology": "RWD-SUR-URO",
    "trauma_orthopaedics": "RWD-SUR-TO",
    "ent": "RWD-SUR-ENT",
    "ophthalmology": "RWD-SUR-OPH",
    "oral_surgery": "RWD-SUR-OS",
    "restorative_dentistry": "RWD-SUR-OS",
    "cardiothoracic_surgery": "RWD-SUR-CTS",
    "pediatric_surgery": "RWD-FH-PAE",
    "gynecology": "RWD-FH-GYN",
}
# The trust total less the itemised specialties (other surgical, paediatric and other services).
RTT_RESIDUAL_SERVICE = "RWD-SUR-OTH"

# Cancer: 31-day and 62-day treatment cancer type → the service whose division it belongs to.
TREATMENT_TYPE_SERVICE = {
    "Breast": "RWD-SUR-GS",
    "Lower Gastrointestinal": "RWD-SUR-GS",
    "Upper Gastrointestinal - Hepatobiliary": "RWD-SUR-GS",
    "Upper Gastrointestinal - Oesophagus & Stomach": "RWD-SUR-GS",
    "Head & Neck": "RWD-SUR-ENT",
    "Urological - Prostate": "RWD-SUR-URO",
    "Urological - Other (a)": "RWD-SUR-URO",
    "Lung": "RWD-MED-RES",
    "Skin": "RWD-MED-DER",
    "Haematological - Lymphoma": "RWD-MED-ONC",
    "Haematological - Other (a)": "RWD-MED-ONC",
    "Other (a)": "RWD-MED-ONC",
    "Gynaecological": "RWD-FH-GYN",
}

# DM01 diagnostic test (ID) → service, following DM01's own three groups.
DM01_TEST_SERVICE = {
    1: "RWD-CSS-IMG",
    2: "RWD-CSS-IMG",
    3: "RWD-CSS-IMG",
    4: "RWD-CSS-IMG",
    5: "RWD-CSS-IMG",
    6: "RWD-CSS-PHM",
    7: "RWD-CSS-PHM",
    8: "RWD-CSS-PHM",
    9: "RWD-CSS-PHM",
    10: "RWD-CSS-PHM",
    11: "RWD-CSS-PHM",
    12: "RWD-CSS-END",
    13: "RWD-CSS-END",
    14: "RWD-CSS-END",
    15: "RWD-CSS-END",
}
# Where the trust-wide A&E return is submitted: the whole trust's A&E is this one service.
AE_SERVICE = "RWD-MED-UEC"


def org_rows() -> list[dict[str, str]]:
    """The org_units.csv rows, parents before children."""
    rows = [org_row(TRUST, TRUST_NAME, "trust", "", 0)]
    rows += [org_row(code, name, "division", TRUST, 0) for code, name in DIVISIONS.items()]
    for code, (name, synthetic, active_to) in SERVICES.items():
        rows.append(org_row(code, name, "service", code.rsplit("-", 1)[0], synthetic, active_to))
    rows += [org_row(code, name, "team", code.rsplit("-", 1)[0], 1) for code, name in TEAMS.items()]
    return rows
