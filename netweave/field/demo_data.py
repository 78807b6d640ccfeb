# ruff: noqa: E501  (a table of data reads best one row per line)
"""The words and figures of the field trackers' demo: products in development, the funders and
the purposes they fund.

Every product and organization is fictional (code names, invented developers, addresses under
example.org); the stage model is the network's default one. Amounts are in thousands of US
dollars and converted into each funder's currency with the demo's exchange rates."""

from __future__ import annotations

from typing import NamedTuple

from netweave.demo.data import Org

# Organizations the field trackers need that the demo's members do not come from: four more
# funders and three developers whose products the network follows.
FIELD_ORGANIZATIONS: list[Org] = [
    Org("Kestrel Foundation", "funder", "US", "Philanthropy", "kestrel-foundation.example.org"),
    Org("Wrenfield Trust", "funder", "GB", "Philanthropy", "wrenfield-trust.example.org"),
    Org("Rijnmond Global Health Fund", "funder", "NL", "Philanthropy", "rijnmond-ghf.example.org"),
    Org("Savanna Health Innovation Fund", "funder", "KE", "Impact investment", "savanna-hif.example.org"),
    Org("Solstice Biologics Inc.", "company", "US", "Biologics", "solstice-bio.example.org"),
    Org("Corvina Microneedle Technologies", "company", "IE", "Drug delivery devices", "corvina-mnt.example.org"),
    Org("Rivergate Nanomedicine Ltd", "company", "GB", "Nanomedicine", "rivergate-nano.example.org"),
]  # fmt: skip


class Funder(NamedTuple):
    name: str
    currency: str
    weight: float  # how many of the investments it makes


FUNDERS: list[Funder] = [
    Funder("Northstar Philanthropies", "USD", 22),
    Funder("Kestrel Foundation", "USD", 15),
    Funder("Agence Solidarité Santé Mondiale", "EUR", 12),
    Funder("Maple Ridge Global Health Fund", "USD", 10),
    Funder("Wrenfield Trust", "GBP", 9),
    Funder("Fundación Ibérica para la Salud Global", "EUR", 8),
    Funder("Fondation Léman pour la Santé Globale", "CHF", 8),
    Funder("Savanna Health Innovation Fund", "USD", 7),
    Funder("Rijnmond Global Health Fund", "EUR", 7),
    Funder("Harbourlight Foundation", "USD", 5),
]
UNCONVERTED_FUNDER = "Harbourlight Foundation"  # two of its grants are in AUD, which has no rate
UNCONVERTED_CURRENCY = "AUD"

# 1 unit of the currency in US dollars, by years before the demo's year (0 = this year). EUR has
# a rate for each year; GBP a rate for any year and its own for one year; CHF one for any year.
EUR_BY_AGE = [1.13, 1.08, 1.08, 1.05, 1.18, 1.14]
GBP_ANY_YEAR = 1.27
GBP_BY_AGE = {3: 1.24}
CHF_ANY_YEAR = 1.12


class TopicFunding(NamedTuple):
    investments: int
    low: int  # thousands of US dollars
    high: int


# Deliberately uneven: the products and the delivery programmes get the money; community work,
# regulatory and safety work, and pregnancy and breastfeeding get almost none, though the
# library and the pipeline are busy with them (the funding-gap page shows it).
FUNDING: dict[str, TopicFunding] = {
    "injectables": TopicFunding(24, 200, 3200),
    "implants-and-rings": TopicFunding(14, 200, 2600),
    "long-acting-products": TopicFunding(7, 300, 2500),
    "differentiated-delivery": TopicFunding(17, 150, 3000),
    "pharmacy-delivery": TopicFunding(12, 120, 2200),
    "monitoring-evaluation": TopicFunding(7, 100, 1200),
    "delivery": TopicFunding(4, 400, 2500),
    "agyw": TopicFunding(19, 150, 3600),
    "key-populations": TopicFunding(9, 100, 1600),
    "pregnancy-breastfeeding": TopicFunding(1, 40, 60),
    "pricing-procurement": TopicFunding(15, 200, 2800),
    "costing": TopicFunding(7, 80, 700),
    "markets": TopicFunding(2, 300, 1500),
    "demand-creation": TopicFunding(5, 30, 150),
    "stigma": TopicFunding(1, 25, 45),
    "community": TopicFunding(1, 60, 90),
    "registration": TopicFunding(3, 40, 200),
    "pharmacovigilance": TopicFunding(1, 30, 50),
    "regulatory": TopicFunding(1, 80, 120),
}
YEAR_WEIGHTS = [1.0, 1.3, 1.6, 2.0, 2.3, 1.5]  # six years, the oldest first (this one is young)

PROGRAMME_PURPOSES = [
    "Implementation grant: {S} {where}",
    "Core support for work on {s}",
    "Technical assistance on {s} {where}",
    "Evaluation of {s} {where}",
    "Community grant: {s} in {city}",
    "Scale-up of {s} in {n} districts {where}",
    "Learning agenda: {s}",
]
PRODUCT_PURPOSES = [
    "{stage} study of {product}",
    "Manufacturing scale-up for {product}",
    "Regulatory dossier preparation for {product}",
    "Formulation and stability work on {product}",
    "Access and introduction planning for {product}",
]
SOURCES = [
    "https://{domain}/grants/{year}-{number}",
    "https://{domain}/grants/{year}-{number}",
    "{funder}, annual report {year}",
    "Grant agreement shared by the recipient",
    "",
]


class ProductSpec(NamedTuple):
    name: str
    kind: str
    stage: str  # the slug of the stage it is at now
    developers: tuple[str, ...]
    indications: tuple[str, ...]
    topics: tuple[str, ...]
    description: str
    visibility: str = "public"


PREP = "HIV pre-exposure prophylaxis"

PRODUCTS: list[ProductSpec] = [
    # approved
    ProductSpec("HLX-0212 two-monthly PrEP injection", "drug", "approved", ("Helix Long-Acting Therapeutics Inc.",), (PREP,), ("injectables",),
                "A long-acting integrase inhibitor given as a gluteal injection every two months after two starting doses a month apart.\n\n- **Where**: approved in several countries of the network; introduction pilots in Kenya, Zambia and Brazil\n- **Open questions**: testing algorithms, the pharmacokinetic tail, supply beyond the first volumes"),
    ProductSpec("Alizé monthly PrEP ring", "device", "approved", ("Laboratoires Alizé Pharma",), (PREP,), ("implants-and-rings", "agyw"),
                "A silicone vaginal ring releasing an antiretroviral over one month, used by women who cannot or do not want to take pills or injections.\n\nRegistered in eleven countries; production is planned to move to a second site."),
    ProductSpec("Volta oral-fluid HIV self-test", "diagnostic", "approved", ("Volta Biomedical Analytics",), ("HIV self-testing",), ("differentiated-delivery", "pharmacy-delivery"),
                "An oral-fluid HIV self-test sold in pharmacies and distributed by peers; results in twenty minutes.\n\nUsed in several PrEP programmes to test between injection visits."),
    # regulatory review
    ProductSpec("HLX-0530 six-monthly PrEP injection", "drug", "regulatory", ("Helix Long-Acting Therapeutics Inc.", "Ubuntu Implementation Science Institute"), (PREP,), ("injectables", "registration"),
                "A capsid inhibitor given as two subcutaneous injections every six months.\n\nThe dossier is under review with a stringent authority and, through the collaborative procedure, with nine national regulators of the network's countries."),
    ProductSpec("KP-212G generic two-monthly injection", "drug", "regulatory", ("Karoo Pharmaceuticals (Pty) Ltd",), (PREP,), ("pricing-procurement", "registration"),
                "A generic version of the two-monthly injection, made in South Africa under a voluntary licence. Bioequivalence studies are complete; the dossier was filed for prequalification."),
    ProductSpec("Lagune point-of-care viral load test", "diagnostic", "regulatory", ("Clinique Lagune Innovation",), ("HIV viral load monitoring", "Detection of acute HIV infection"), ("monitoring-evaluation", "registration"),
                "A cartridge-based test that gives a viral load result in ninety minutes at the clinic, to detect early infection in people on PrEP before the next injection."),
    # phase III
    ProductSpec("Alizé three-month dual-prevention ring", "device", "phase-3", ("Laboratoires Alizé Pharma", "Institut Lumière de Recherche Clinique"), (PREP, "Contraception"), ("implants-and-rings", "pregnancy-breastfeeding"),
                "A ring releasing an antiretroviral and a progestin for three months: HIV prevention and contraception in one product."),
    ProductSpec("PB-101 broadly neutralizing antibody combination", "biologic", "phase-3", ("Laboratorio Pampa Biotech",), (PREP,), ("long-acting-products",),
                "Two broadly neutralizing antibodies given together by subcutaneous injection every four months."),
    ProductSpec("HLX-0710 once-monthly oral PrEP tablet", "drug", "phase-3", ("Helix Long-Acting Therapeutics Inc.",), (PREP,), ("long-acting-products",),
                "A once-monthly pill for people who prefer tablets to injections. Two efficacy trials are enrolling in eight countries."),
    ProductSpec("Pwani PrEP Companion app", "digital", "phase-3", ("Pwani Health Innovations Ltd",), ("Adherence and visit reminders",), ("demand-creation", "monitoring-evaluation"),
                "A phone app and SMS service that reminds users of their next injection, books appointments and answers common questions in six languages. Evaluated in a stepped-wedge trial in 40 clinics.",
                "network"),
    # phase II
    ProductSpec("KP-330 biodegradable PrEP implant", "drug", "phase-2", ("Karoo Pharmaceuticals (Pty) Ltd", "Mlima University School of Public Health"), (PREP,), ("implants-and-rings",),
                "A biodegradable implant placed under the skin of the arm that releases an antiretroviral for twelve months and does not need to be removed."),
    ProductSpec("SB-12 twelve-month injectable", "drug", "phase-2", ("Solstice Biologics Inc.",), (PREP,), ("injectables",),
                "An ultra-long-acting formulation aiming at one injection a year."),
    ProductSpec("CMEMT-R2 pregnancy-safe monthly ring", "device", "phase-2", ("Centre Meuse-Escaut de Médecine Tropicale",), (PREP,), ("pregnancy-breastfeeding", "pharmacovigilance"),
                "A monthly ring studied specifically in pregnant and breastfeeding women, with a pregnancy registry built into the trial."),
    ProductSpec("NB-DBS drug-level assay", "diagnostic", "phase-2", ("Nile Basin Prevention Research Centre",), ("Monitoring of drug levels",), ("monitoring-evaluation", "pharmacovigilance"),
                "A dried blood spot assay that measures drug levels in people on long-acting PrEP, to study the tail after stopping and the risk of resistance."),
    # phase I
    ProductSpec("PB-205 single-dose long-acting antibody", "biologic", "phase-1", ("Laboratorio Pampa Biotech",), (PREP,), ("long-acting-products",),
                "An engineered antibody with an extended half-life, aiming at protection for six months from a single dose."),
    ProductSpec("ILRC-IMP1 refillable subdermal implant", "device", "phase-1", ("Institut Lumière de Recherche Clinique",), (PREP,), ("implants-and-rings",),
                "A refillable implant whose reservoir is topped up at the clinic every six months."),
    ProductSpec("Corvina MAP-1 PrEP microarray patch", "device", "phase-1", ("Corvina Microneedle Technologies",), (PREP,), ("injectables", "pharmacy-delivery"),
                "A microarray patch that delivers a long-acting formulation through the skin without a needle and could be given outside clinics.",
                "network"),
    ProductSpec("UISI-V1 T-cell vaccine candidate", "vaccine", "phase-1", ("Ubuntu Implementation Science Institute", "Cascade Prevention Research Institute"), ("Prevention of HIV acquisition",), ("long-acting-products",),
                "A viral-vector vaccine candidate designed with conserved regions of HIV, in a first-in-human trial in South Africa and the United States."),
    # preclinical
    ProductSpec("CPRI-M3 mosaic HIV vaccine", "vaccine", "preclinical", ("Cascade Prevention Research Institute",), ("Prevention of HIV acquisition",), ("long-acting-products",),
                "A mosaic immunogen aiming at broad coverage of the HIV subtypes circulating in Africa and Latin America."),
    ProductSpec("RN-6 nanoformulated six-month injection", "drug", "preclinical", ("Rivergate Nanomedicine Ltd",), (PREP,), ("injectables",),
                "A nanoparticle formulation of an existing antiretroviral, aiming at six months of protection from a small-volume injection."),
    ProductSpec("CAIV-TS1 thermostable injectable suspension", "drug", "preclinical", ("Centro Andino de Investigación en VIH", "Laboratorio Pampa Biotech"), (PREP,), ("injectables", "pricing-procurement"),
                "A suspension that stays stable at 40 °C for two years, so that injections can be stored without a cold chain."),
    ProductSpec("NOP-VI2 on-demand vaginal insert", "drug", "preclinical", ("Instituto Nopal de Salud Pública",), (PREP,), ("implants-and-rings", "agyw"),
                "A fast-dissolving insert used before and after sex, for women who want protection without a daily or long-acting product."),
    # discovery
    ProductSpec("HLX-C9 capsid inhibitor series", "drug", "discovery", ("Helix Long-Acting Therapeutics Inc.",), (PREP,), ("long-acting-products",),
                "A series of capsid inhibitors screened for potency and a very long half-life.",
                "coordinators"),
    ProductSpec("PB-BX bispecific antibody scaffold", "biologic", "discovery", ("Laboratorio Pampa Biotech", "Solstice Biologics Inc."), (PREP,), ("long-acting-products",),
                "A bispecific antibody platform combining two binding sites on the HIV envelope."),
    ProductSpec("Entoto SR-1 self-sampling HIV RNA test", "diagnostic", "discovery", ("Entoto Public Health Institute",), ("Detection of acute HIV infection",), ("differentiated-delivery", "pharmacovigilance"),
                "A self-collected sample sent by post for an HIV RNA test, to rule out early infection before a long-acting product is started."),
]  # fmt: skip

VDAN_PRODUCTS: list[ProductSpec] = [
    ProductSpec("SDD-90 solar direct-drive refrigerator", "device", "approved", ("Polder Health Supply Partners",), ("Vaccine storage",), ("solar-refrigeration",),
                "A 90-litre solar direct-drive refrigerator with a built-in remote temperature monitor.", "network"),
    ProductSpec("Measles-rubella microarray patch", "vaccine", "phase-2", ("Corvina Microneedle Technologies",), ("Measles and rubella",), ("last-mile-delivery", "vaccine-demand"),
                "A measles-rubella vaccine on a microarray patch that does not need reconstitution and could be given by volunteers.", "network"),
    ProductSpec("TRV-3 thermostable rotavirus vaccine", "vaccine", "phase-3", ("Karoo Pharmaceuticals (Pty) Ltd",), ("Rotavirus diarrhoea",), ("cold-chain",),
                "An oral rotavirus vaccine stable outside the cold chain for up to three months.", "network"),
]  # fmt: skip

VDAN_FUNDING: list[tuple[str, str, str, int]] = [
    # (funder, topic, purpose, thousands of US dollars)
    ("Northstar Philanthropies", "solar-refrigeration", "Solar refrigerators for 120 health centres", 2400),
    ("Northstar Philanthropies", "temperature-monitoring", "Remote temperature monitoring in four districts", 650),
    ("Kestrel Foundation", "last-mile-delivery", "Drone delivery pilot to island health posts", 900),
    ("Agence Solidarité Santé Mondiale", "supply-forecasting", "Stock visibility and forecasting in Côte d'Ivoire", 480),
    ("Agence Solidarité Santé Mondiale", "vaccine-demand", "Community mobilization for zero-dose children", 300),
    ("Maple Ridge Global Health Fund", "vaccine-demand", "SMS reminders for vaccination timeliness", 220),
    ("Rijnmond Global Health Fund", "solar-refrigeration", "Maintenance contracts for solar refrigerators", 350),
    ("Kestrel Foundation", "cold-chain", "Cold chain equipment inventory across the network", 180),
    ("Northstar Philanthropies", "last-mile-delivery", "Phase II trial of the measles-rubella microarray patch", 3200),
    ("Savanna Health Innovation Fund", "supply-forecasting", "Forecasting tools for new vaccine introductions", 260),
]  # fmt: skip

STAGE_SOURCES: dict[str, list[str]] = {
    "discovery": ["Developer's pipeline update, {month_year}", "Developer's investor presentation, {month_year}"],
    "preclinical": ["Poster at a scientific conference, {month_year}", "Developer's press release, {date}"],
    "phase-1": ["https://clinicaltrials.gov/study/NCT0{trial}"],
    "phase-2": ["https://clinicaltrials.gov/study/NCT0{trial}"],
    "phase-3": ["https://clinicaltrials.gov/study/NCT0{trial}", "Developer's press release, {date}"],
    "regulatory": ["Submission announced by the developer on {date}", "Collaborative registration procedure: dossier accepted on {date}"],
    "approved": ["Approval by the national regulatory authority, {date}", "Public assessment report, {month_year}"],
}  # fmt: skip
STAGE_NOTES: dict[str, list[str]] = {
    "phase-1": ["First participant dosed.", ""],
    "phase-2": ["Enrolment opened in three countries.", ""],
    "phase-3": ["Enrolment complete.", "First participant enrolled.", ""],
    "regulatory": ["Filed with a stringent authority and, in parallel, with national regulators.", ""],
    "approved": ["First approval; national registrations follow.", ""],
}  # fmt: skip
# Days a product usually spends in a stage before the next one.
STAGE_DAYS: dict[str, tuple[int, int]] = {
    "discovery": (300, 700), "preclinical": (300, 600), "phase-1": (300, 600),
    "phase-2": (400, 800), "phase-3": (500, 1000), "regulatory": (180, 450), "approved": (0, 0),
}  # fmt: skip
# How long ago a product reached the stage it is at now (days).
STAGE_SINCE: dict[str, tuple[int, int]] = {
    "discovery": (60, 500), "preclinical": (60, 500), "phase-1": (60, 500), "phase-2": (60, 600),
    "phase-3": (90, 700), "regulatory": (40, 300), "approved": (120, 900),
}  # fmt: skip
