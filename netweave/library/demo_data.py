# ruff: noqa: E501  (sentences read best one per line)
"""The words of the resource center's demo: the topic tree, and the pieces the demo's resources
are written from, in English, French and Spanish.

Every template comes in the three languages with the same slots, index for index, so that a
translation of a resource is its original written again in another language. French and Spanish
noun phrases carry their article ("la PrEP injectable"); `contract()` then fixes "de le" into
"du" and "de el" into "del". Organizations and people are the demo's own fictional ones; the web
addresses of real bodies (who.int, unaids.org, journals) are plausible paths that the demo never
fetches."""

from __future__ import annotations

import re
from typing import NamedTuple


class Words(NamedTuple):
    en: str
    fr: str
    es: str

    def get(self, language: str) -> str:
        return str(getattr(self, language))


LANGUAGES = ("en", "fr", "es")


def contract(text: str, language: str) -> str:
    """French and Spanish contractions after the slots are filled in."""
    if language == "fr":
        text = re.sub(r"\b([Dd])e le ", r"\1u ", text)
        text = re.sub(r"\b([Dd])e les ", r"\1es ", text)
        text = re.sub(r"\b([Àà]) le ", lambda m: "Au " if m.group(1) == "À" else "au ", text)
        text = re.sub(r"\b([Àà]) les ", lambda m: "Aux " if m.group(1) == "À" else "aux ", text)
        text = re.sub(r"\bque ([aeiouéèêhAEIOUÉ])", r"qu'\1", text)
    elif language == "es":
        text = re.sub(r"\b([Dd])e el ", r"\1el ", text)
        text = re.sub(r"\b([Aa]) el ", r"\1l ", text)
    return text


_ARTICLE = re.compile(r"^(the |le |la |les |l'|el |los |las )", re.IGNORECASE)


def bare(phrase: str) -> str:
    """The phrase without its article, capitalized: the start of a title."""
    text = _ARTICLE.sub("", phrase, count=1)
    return text[:1].upper() + text[1:]


# --- the topic tree -------------------------------------------------------------------------------


class TopicSpec(NamedTuple):
    slug: str
    name: str
    description: str
    parent: str = ""  # the parent's slug


LAHP_TOPICS: list[TopicSpec] = [
    TopicSpec("long-acting-products", "Long-acting products", "The products themselves: injectables, implants, rings and what comes next, from trials to the shelf."),
    TopicSpec("injectables", "Injectables", "Injections every two months, every six months and beyond: dosing, timing, tails and switching.", "long-acting-products"),
    TopicSpec("implants-and-rings", "Implants and rings", "Monthly and three-monthly rings, biodegradable and refillable implants, and multipurpose products.", "long-acting-products"),
    TopicSpec("delivery", "Delivery and implementation", "How long-acting prevention reaches people: models of care, who delivers, and how we know it works."),
    TopicSpec("differentiated-delivery", "Differentiated service delivery", "Same-day starts, nurse-led clinics, community initiation and integration with other services.", "delivery"),
    TopicSpec("pharmacy-delivery", "Pharmacy and community delivery", "Pharmacies, mobile outreach, drop-in centres and home refills.", "delivery"),
    TopicSpec("monitoring-evaluation", "Monitoring and evaluation", "Indicators, routine data and measuring continuation and effective use.", "delivery"),
    TopicSpec("community", "Community engagement and demand", "Communities shaping, asking for and sustaining long-acting prevention."),
    TopicSpec("demand-creation", "Demand creation", "Messages, campaigns, counselling and choice.", "community"),
    TopicSpec("stigma", "Stigma reduction", "Stigma in facilities, families and communities, and what reduces it.", "community"),
    TopicSpec("populations", "Priority populations", "The people long-acting prevention must reach first."),
    TopicSpec("agyw", "Adolescent girls and young women", "Youth-friendly services, schools, consent and combination prevention.", "populations"),
    TopicSpec("key-populations", "Key populations", "Sex workers, men who have sex with men, transgender people and people who inject drugs.", "populations"),
    TopicSpec("pregnancy-breastfeeding", "Pregnancy and breastfeeding", "Safety data, antenatal care and registries for new prevention products.", "populations"),
    TopicSpec("regulatory", "Regulatory pathways and safety", "From dossier to approval, and watching safety once products are in use."),
    TopicSpec("registration", "Registration and approvals", "Collaborative registration, reliance, national guidelines and import permits.", "regulatory"),
    TopicSpec("pharmacovigilance", "Pharmacovigilance", "Safety monitoring, adverse events and drug resistance.", "regulatory"),
    TopicSpec("markets", "Market shaping and financing", "Prices, volumes, generics, costing and who pays."),
    TopicSpec("pricing-procurement", "Pricing and procurement", "Generic manufacturing, volume guarantees, forecasting and supply chains.", "markets"),
    TopicSpec("costing", "Costing and health economics", "Costs per person-year, budget impact, cost-effectiveness and domestic financing.", "markets"),
]  # fmt: skip

VDAN_TOPICS: list[TopicSpec] = [
    TopicSpec("cold-chain", "Cold chain", "Keeping vaccines at the right temperature from the national store to the outreach session."),
    TopicSpec("solar-refrigeration", "Solar refrigeration", "Solar direct-drive refrigerators, maintenance and financing.", "cold-chain"),
    TopicSpec("temperature-monitoring", "Temperature monitoring", "Remote temperature monitoring and what to do with the alarms.", "cold-chain"),
    TopicSpec("last-mile-delivery", "Last-mile delivery", "Outreach, drones, motorbikes and integrated campaigns."),
    TopicSpec("vaccine-demand", "Vaccine demand", "Community trust, reminders and zero-dose children."),
    TopicSpec("supply-forecasting", "Supply forecasting", "Forecasting, stock visibility and wastage."),
]  # fmt: skip

# How often each leaf topic is the main topic of a demo resource. Community and regulatory work
# is written about a lot and funded little: the funding-gap page finds them.
TOPIC_WEIGHTS: dict[str, float] = {
    "injectables": 13, "implants-and-rings": 7, "differentiated-delivery": 10,
    "pharmacy-delivery": 9, "monitoring-evaluation": 6, "demand-creation": 11, "stigma": 10,
    "agyw": 9, "key-populations": 7, "pregnancy-breastfeeding": 9, "registration": 7,
    "pharmacovigilance": 8, "pricing-procurement": 5, "costing": 5,
}  # fmt: skip

# --- what resources are about ---------------------------------------------------------------------

SUBJECTS: dict[str, list[Words]] = {
    "injectables": [
        Words("two-monthly injectable PrEP", "la PrEP injectable tous les deux mois", "la PrEP inyectable bimestral"),
        Words("six-monthly injectable PrEP", "la PrEP injectable semestrielle", "la PrEP inyectable semestral"),
        Words("on-time reinjection", "le respect du calendrier des injections", "la puntualidad de las reinyecciones"),
        Words("injection-site reactions", "les réactions au point d'injection", "las reacciones en el sitio de inyección"),
        Words("switching from daily oral PrEP to injections", "le passage de la PrEP orale quotidienne aux injections", "el cambio de la PrEP oral diaria a la inyectable"),
        Words("the pharmacokinetic tail after the last injection", "la queue pharmacocinétique après la dernière injection", "la cola farmacocinética tras la última inyección"),
    ],
    "implants-and-rings": [
        Words("the monthly vaginal ring", "l'anneau vaginal mensuel", "el anillo vaginal mensual"),
        Words("biodegradable PrEP implants", "les implants biodégradables de PrEP", "los implantes biodegradables de PrEP"),
        Words("multipurpose prevention technologies", "les technologies de prévention multiusages", "las tecnologías de prevención multipropósito"),
        Words("implant insertion and removal training", "la formation à la pose et au retrait des implants", "la capacitación en inserción y retiro de implantes"),
        Words("user preferences between rings, implants and injections", "les préférences entre anneau, implant et injection", "las preferencias entre anillo, implante e inyección"),
    ],
    "differentiated-delivery": [
        Words("community-based PrEP initiation", "l'initiation communautaire de la PrEP", "el inicio comunitario de la PrEP"),
        Words("same-day start of long-acting PrEP", "le démarrage le jour même de la PrEP à longue durée d'action", "el inicio en el mismo día de la PrEP de acción prolongada"),
        Words("nurse-led injection clinics", "les consultations d'injection menées par des infirmiers", "las consultas de inyección a cargo de enfermería"),
        Words("integrating PrEP into family planning services", "l'intégration de la PrEP aux services de planification familiale", "la integración de la PrEP en los servicios de planificación familiar"),
        Words("HIV testing before each injection", "le dépistage du VIH avant chaque injection", "la prueba del VIH antes de cada inyección"),
    ],
    "pharmacy-delivery": [
        Words("pharmacy-led PrEP delivery", "la dispensation de la PrEP en pharmacie", "la provisión de PrEP en farmacias"),
        Words("injections given by trained pharmacists", "les injections réalisées par des pharmaciens formés", "las inyecciones aplicadas por farmacéuticos capacitados"),
        Words("mobile outreach for PrEP", "les stratégies mobiles pour la PrEP", "las estrategias móviles para la PrEP"),
        Words("home and community refills", "le renouvellement à domicile et dans la communauté", "la reposición en el hogar y la comunidad"),
        Words("telehealth follow-up of PrEP users", "le suivi à distance des personnes sous PrEP", "el seguimiento a distancia de usuarios de PrEP"),
    ],
    "monitoring-evaluation": [
        Words("PrEP continuation indicators", "les indicateurs de continuité de la PrEP", "los indicadores de continuidad de la PrEP"),
        Words("routine data on long-acting PrEP", "les données de routine sur la PrEP à longue durée d'action", "los datos de rutina sobre la PrEP de acción prolongada"),
        Words("measuring effective use of prevention", "la mesure de l'utilisation effective de la prévention", "la medición del uso efectivo de la prevención"),
        Words("client-level tracking systems", "les systèmes de suivi individuel des usagers", "los sistemas de seguimiento individual de usuarios"),
    ],
    "demand-creation": [
        Words("demand creation for injectable PrEP", "la création de la demande pour la PrEP injectable", "la generación de demanda de la PrEP inyectable"),
        Words("peer-led social media campaigns", "les campagnes menées par les pairs sur les réseaux sociaux", "las campañas entre pares en redes sociales"),
        Words("prevention messages in local languages", "les messages de prévention en langues locales", "los mensajes de prevención en lenguas locales"),
        Words("choice counselling for prevention options", "le conseil sur le choix des options de prévention", "la consejería para elegir opciones de prevención"),
        Words("community radio and prevention", "la radio communautaire au service de la prévention", "la radio comunitaria al servicio de la prevención"),
    ],
    "stigma": [
        Words("PrEP stigma in health facilities", "la stigmatisation liée à la PrEP dans les structures de santé", "el estigma asociado a la PrEP en los servicios de salud"),
        Words("stigma-free service charters", "les chartes de services sans stigmatisation", "las cartas de servicios libres de estigma"),
        Words("partner and family support for PrEP users", "le soutien des partenaires et des familles aux personnes sous PrEP", "el apoyo de parejas y familias a usuarios de PrEP"),
        Words("provider attitudes towards young PrEP users", "les attitudes des soignants envers les jeunes sous PrEP", "las actitudes del personal de salud hacia jóvenes usuarios de PrEP"),
    ],
    "agyw": [
        Words("school-linked prevention services", "les services de prévention en lien avec l'école", "los servicios de prevención vinculados a la escuela"),
        Words("youth-friendly injection services", "les services d'injection adaptés aux jeunes", "los servicios de inyección amigables para jóvenes"),
        Words("combination prevention for young women", "la prévention combinée pour les jeunes femmes", "la prevención combinada para mujeres jóvenes"),
        Words("parental consent and adolescent access", "le consentement parental et l'accès des adolescentes", "el consentimiento parental y el acceso de adolescentes"),
    ],
    "key-populations": [
        Words("PrEP services led by key populations", "les services de PrEP dirigés par les populations clés", "los servicios de PrEP liderados por poblaciones clave"),
        Words("long-acting PrEP for sex workers", "la PrEP à longue durée d'action pour les travailleuses du sexe", "la PrEP de acción prolongada para trabajadoras sexuales"),
        Words("drop-in centres offering injections", "les centres d'accueil qui proposent les injections", "los centros comunitarios que ofrecen inyecciones"),
        Words("prevention for transgender women", "la prévention pour les femmes transgenres", "la prevención para mujeres trans"),
    ],
    "pregnancy-breastfeeding": [
        Words("long-acting PrEP during pregnancy", "la PrEP à longue durée d'action pendant la grossesse", "la PrEP de acción prolongada durante el embarazo"),
        Words("PrEP in antenatal care", "la PrEP en consultation prénatale", "la PrEP en el control prenatal"),
        Words("safety data for breastfeeding women", "les données de sécurité chez les femmes allaitantes", "los datos de seguridad en mujeres lactantes"),
        Words("pregnancy registries for new prevention products", "les registres de grossesse pour les nouveaux produits de prévention", "los registros de embarazo para nuevos productos de prevención"),
    ],
    "registration": [
        Words("collaborative registration procedures", "les procédures d'homologation collaborative", "los procedimientos de registro colaborativo"),
        Words("regulatory reliance on reference authorities", "la reconnaissance des décisions des autorités de référence", "la confianza regulatoria en autoridades de referencia"),
        Words("national guideline updates for long-acting PrEP", "la mise à jour des directives nationales sur la PrEP à longue durée d'action", "la actualización de las guías nacionales sobre la PrEP de acción prolongada"),
        Words("import permits and product registration", "les autorisations d'importation et l'enregistrement des produits", "los permisos de importación y el registro de productos"),
    ],
    "pharmacovigilance": [
        Words("active safety monitoring of injectable PrEP", "la surveillance active de la sécurité de la PrEP injectable", "la vigilancia activa de la seguridad de la PrEP inyectable"),
        Words("adverse event reporting by nurses", "la notification des événements indésirables par les infirmiers", "la notificación de eventos adversos por enfermería"),
        Words("drug resistance after seroconversion on PrEP", "la pharmacorésistance après une séroconversion sous PrEP", "la farmacorresistencia tras la seroconversión con PrEP"),
        Words("cohort event monitoring", "le suivi de cohorte des événements indésirables", "el monitoreo de eventos adversos en cohortes"),
    ],
    "pricing-procurement": [
        Words("generic manufacturing of long-acting PrEP", "la fabrication générique de la PrEP à longue durée d'action", "la fabricación genérica de la PrEP de acción prolongada"),
        Words("volume guarantees and pooled procurement", "les garanties de volume et les achats groupés", "las garantías de volumen y las compras conjuntas"),
        Words("demand forecasting for new prevention products", "la prévision de la demande des nouveaux produits de prévention", "la previsión de la demanda de nuevos productos de prevención"),
        Words("supply chain readiness", "la préparation de la chaîne d'approvisionnement", "la preparación de la cadena de suministro"),
    ],
    "costing": [
        Words("the cost per person-year of injectable PrEP", "le coût par personne-année de la PrEP injectable", "el costo por persona-año de la PrEP inyectable"),
        Words("the budget impact of long-acting prevention", "l'impact budgétaire de la prévention à longue durée d'action", "el impacto presupuestario de la prevención de acción prolongada"),
        Words("the cost-effectiveness of targeted PrEP", "le rapport coût-efficacité de la PrEP ciblée", "la costo-efectividad de la PrEP focalizada"),
        Words("domestic financing for HIV prevention", "le financement national de la prévention du VIH", "el financiamiento nacional de la prevención del VIH"),
    ],
}  # fmt: skip

POPULATIONS: list[Words] = [
    Words("adolescent girls and young women", "les adolescentes et jeunes femmes", "las adolescentes y mujeres jóvenes"),
    Words("pregnant and breastfeeding women", "les femmes enceintes et allaitantes", "las mujeres embarazadas y lactantes"),
    Words("female sex workers", "les travailleuses du sexe", "las trabajadoras sexuales"),
    Words("men who have sex with men", "les hommes ayant des rapports sexuels avec des hommes", "los hombres que tienen sexo con hombres"),
    Words("transgender women", "les femmes transgenres", "las mujeres trans"),
    Words("young men", "les jeunes hommes", "los hombres jóvenes"),
    Words("people who inject drugs", "les personnes qui s'injectent des drogues", "las personas que se inyectan drogas"),
    Words("serodiscordant couples", "les couples sérodifférents", "las parejas serodiscordantes"),
    Words("university students", "les étudiants", "los estudiantes universitarios"),
    Words("pharmacy clients", "les clients des pharmacies", "los clientes de farmacias"),
]  # fmt: skip

# The populations a topic's resources are usually about (indexes into POPULATIONS).
TOPIC_POPULATIONS: dict[str, list[int]] = {
    "agyw": [0, 0, 8], "pregnancy-breastfeeding": [1], "key-populations": [2, 3, 4, 6],
    "pharmacy-delivery": [9, 5, 0], "stigma": [0, 3, 4, 7],
}  # fmt: skip


class Place(NamedTuple):
    code: str  # ISO 3166-1 alpha-2
    name: Words  # "Kenya" (with "the" where English wants it)
    where: Words  # "in Kenya" / "au Kenya" / "en Kenia"
    cities: tuple[str, ...]
    region: int  # index into REGIONS


REGIONS: list[Words] = [
    Words("East and Southern Africa", "l'Afrique orientale et australe", "África oriental y austral"),
    Words("West and Central Africa", "l'Afrique de l'Ouest et du Centre", "África occidental y central"),
    Words("Latin America and the Caribbean", "l'Amérique latine et les Caraïbes", "América Latina y el Caribe"),
    Words("Asia and the Pacific", "l'Asie-Pacifique", "Asia y el Pacífico"),
]  # fmt: skip

PLACES: list[Place] = [
    Place("KE", Words("Kenya", "Kenya", "Kenia"), Words("in Kenya", "au Kenya", "en Kenia"), ("Nairobi", "Kisumu", "Mombasa", "Homa Bay"), 0),
    Place("UG", Words("Uganda", "Ouganda", "Uganda"), Words("in Uganda", "en Ouganda", "en Uganda"), ("Kampala", "Gulu", "Mbarara"), 0),
    Place("ZA", Words("South Africa", "Afrique du Sud", "Sudáfrica"), Words("in South Africa", "en Afrique du Sud", "en Sudáfrica"), ("Johannesburg", "Durban", "Cape Town", "Gqeberha"), 0),
    Place("ZW", Words("Zimbabwe", "Zimbabwe", "Zimbabue"), Words("in Zimbabwe", "au Zimbabwe", "en Zimbabue"), ("Harare", "Bulawayo", "Mutare"), 0),
    Place("ZM", Words("Zambia", "Zambie", "Zambia"), Words("in Zambia", "en Zambie", "en Zambia"), ("Lusaka", "Ndola"), 0),
    Place("MW", Words("Malawi", "Malawi", "Malaui"), Words("in Malawi", "au Malawi", "en Malaui"), ("Lilongwe", "Zomba", "Blantyre"), 0),
    Place("TZ", Words("Tanzania", "Tanzanie", "Tanzania"), Words("in Tanzania", "en Tanzanie", "en Tanzania"), ("Dar es Salaam", "Mwanza"), 0),
    Place("NG", Words("Nigeria", "Nigeria", "Nigeria"), Words("in Nigeria", "au Nigeria", "en Nigeria"), ("Lagos", "Abuja", "Port Harcourt"), 1),
    Place("GH", Words("Ghana", "Ghana", "Ghana"), Words("in Ghana", "au Ghana", "en Ghana"), ("Accra", "Kumasi"), 1),
    Place("SN", Words("Senegal", "Sénégal", "Senegal"), Words("in Senegal", "au Sénégal", "en Senegal"), ("Dakar", "Ziguinchor", "Saint-Louis"), 1),
    Place("CI", Words("Côte d'Ivoire", "Côte d'Ivoire", "Costa de Marfil"), Words("in Côte d'Ivoire", "en Côte d'Ivoire", "en Costa de Marfil"), ("Abidjan", "Bouaké", "San-Pédro"), 1),
    Place("CM", Words("Cameroon", "Cameroun", "Camerún"), Words("in Cameroon", "au Cameroun", "en Camerún"), ("Douala", "Yaoundé", "Bamenda"), 1),
    Place("CD", Words("the Democratic Republic of the Congo", "République démocratique du Congo", "República Democrática del Congo"), Words("in the Democratic Republic of the Congo", "en République démocratique du Congo", "en la República Democrática del Congo"), ("Kinshasa", "Goma", "Lubumbashi"), 1),
    Place("BF", Words("Burkina Faso", "Burkina Faso", "Burkina Faso"), Words("in Burkina Faso", "au Burkina Faso", "en Burkina Faso"), ("Ouagadougou", "Bobo-Dioulasso"), 1),
    Place("ML", Words("Mali", "Mali", "Malí"), Words("in Mali", "au Mali", "en Malí"), ("Bamako", "Sikasso"), 1),
    Place("HT", Words("Haiti", "Haïti", "Haití"), Words("in Haiti", "en Haïti", "en Haití"), ("Port-au-Prince", "Cap-Haïtien"), 2),
    Place("MX", Words("Mexico", "Mexique", "México"), Words("in Mexico", "au Mexique", "en México"), ("Mexico City", "Guadalajara", "Tijuana"), 2),
    Place("CO", Words("Colombia", "Colombie", "Colombia"), Words("in Colombia", "en Colombie", "en Colombia"), ("Bogotá", "Medellín", "Cali"), 2),
    Place("PE", Words("Peru", "Pérou", "Perú"), Words("in Peru", "au Pérou", "en el Perú"), ("Lima", "Iquitos", "Cusco"), 2),
    Place("AR", Words("Argentina", "Argentine", "Argentina"), Words("in Argentina", "en Argentine", "en Argentina"), ("Buenos Aires", "Rosario", "Córdoba"), 2),
    Place("GT", Words("Guatemala", "Guatemala", "Guatemala"), Words("in Guatemala", "au Guatemala", "en Guatemala"), ("Guatemala City", "Quetzaltenango"), 2),
    Place("DO", Words("the Dominican Republic", "République dominicaine", "República Dominicana"), Words("in the Dominican Republic", "en République dominicaine", "en República Dominicana"), ("Santo Domingo", "Santiago de los Caballeros"), 2),
    Place("BR", Words("Brazil", "Brésil", "Brasil"), Words("in Brazil", "au Brésil", "en Brasil"), ("São Paulo", "Rio de Janeiro", "Salvador"), 2),
    Place("TH", Words("Thailand", "Thaïlande", "Tailandia"), Words("in Thailand", "en Thaïlande", "en Tailandia"), ("Bangkok", "Chiang Mai", "Pattaya"), 3),
    Place("IN", Words("India", "Inde", "India"), Words("in India", "en Inde", "en India"), ("Hyderabad", "Pune", "Chennai", "Mumbai"), 3),
]  # fmt: skip

# Which places a resource written in a language is usually about (country codes).
PLACES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("KE", "KE", "UG", "ZA", "ZA", "ZW", "ZM", "MW", "TZ", "NG", "GH", "TH", "IN", "BR"),
    "fr": ("SN", "CI", "CI", "CM", "CD", "BF", "ML", "HT"),
    "es": ("MX", "CO", "PE", "AR", "GT", "DO", "MX", "CO"),
}

ENABLERS: list[Words] = [
    Words("appointments were booked by SMS", "les rendez-vous étaient pris par SMS", "las citas se agendaban por SMS"),
    Words("peer navigators followed up missed visits", "des pairs navigateurs relançaient les personnes absentes", "navegadores de pares daban seguimiento a las citas perdidas"),
    Words("injections were offered in the evening and at weekends", "les injections étaient proposées le soir et le week-end", "las inyecciones se ofrecían por la tarde y los fines de semana"),
    Words("youth corners had a nurse of their own", "les espaces jeunes avaient leur propre infirmière", "los espacios para jóvenes tenían su propia enfermera"),
    Words("clients could choose where to be seen", "les clients pouvaient choisir leur lieu de consultation", "los usuarios podían elegir dónde ser atendidos"),
    Words("HIV testing relied on a single rapid test", "le dépistage reposait sur un seul test rapide", "la prueba del VIH se hacía con una sola prueba rápida"),
]  # fmt: skip

WORRIES: list[Words] = [
    Words("side effects", "les effets secondaires", "los efectos secundarios"),
    Words("pain at the injection site", "la douleur au point d'injection", "el dolor en el sitio de inyección"),
    Words("the fear of being seen at the clinic", "la crainte d'être vu au centre de santé", "el temor a ser visto en la clínica"),
    Words("the cost of transport", "le coût du transport", "el costo del transporte"),
    Words("what a partner might think", "la réaction du partenaire", "la reacción de la pareja"),
    Words("long waiting times", "les longues attentes", "las largas esperas"),
]  # fmt: skip

CALLS: list[Words] = [
    Words("simpler HIV testing algorithms", "des algorithmes de dépistage du VIH plus simples", "algoritmos de prueba del VIH más sencillos"),
    Words("longer intervals between refills", "des intervalles plus longs entre deux renouvellements", "intervalos más largos entre reposiciones"),
    Words("a budget line for demand creation", "une ligne budgétaire pour la création de la demande", "una partida presupuestaria para la generación de demanda"),
    Words("community seats on technical working groups", "des sièges pour les communautés dans les groupes de travail techniques", "asientos para la comunidad en los grupos técnicos de trabajo"),
    Words("routine collection of continuation data", "la collecte systématique des données de continuité", "la recolección rutinaria de datos de continuidad"),
]  # fmt: skip

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip

# --- titles, per kind (index for index across the languages) -------------------------------------
# Slots: {S} the subject starting a title, {s} the subject inside a sentence, {pop}, {where},
# {place}, {region}, {city}, {n} {n2} {n3} {pct} {pct2} {months} {minutes} {hour}, {year},
# {year_start}, {date}, {month_year}, {deadline}, {amount}, {org}, {speaker}, {enabler},
# {worry}, {call}, {s2} (a second subject of the same topic).

TITLES: dict[str, dict[str, list[str]]] = {
    "article": {
        "en": [
            "{S} {where}: a mixed-methods evaluation",
            "{S} among {pop}: a qualitative study {where}",
            "What shapes {s}? Evidence from {n} sites {where}",
            "{S}: a systematic review and meta-synthesis",
            "Twelve-month outcomes of a programme on {s} {where}",
            "{S} in routine care: a cohort study {where}",
            "Rethinking {s}: a commentary from {region}",
        ],
        "fr": [
            "{S} {where} : une évaluation par méthodes mixtes",
            "{S} chez {pop} : une étude qualitative {where}",
            "Qu'est-ce qui influence {s} ? Données de {n} sites {where}",
            "{S} : revue systématique et méta-synthèse",
            "Résultats à douze mois d'un programme sur {s} {where}",
            "{S} en soins de routine : une étude de cohorte {where}",
            "Repenser {s} : un point de vue depuis {region}",
        ],
        "es": [
            "{S} {where}: una evaluación con métodos mixtos",
            "{S} entre {pop}: un estudio cualitativo {where}",
            "¿Qué influye en {s}? Evidencia de {n} sitios {where}",
            "{S}: revisión sistemática y metasíntesis",
            "Resultados a doce meses de un programa sobre {s} {where}",
            "{S} en la atención de rutina: un estudio de cohorte {where}",
            "Repensar {s}: una mirada desde {region}",
        ],
    },
    "report": {
        "en": [
            "{S}: {year} progress report",
            "Landscape analysis: {s} {where}",
            "{S} {where}: findings of the {year} readiness assessment",
            "Community consultation report on {s}",
            "{S}: lessons from the first {months} months of introduction {where}",
            "{S}: a regional report for {region}",
        ],
        "fr": [
            "{S} : rapport d'étape {year}",
            "Analyse du paysage : {s} {where}",
            "{S} {where} : résultats de l'évaluation de préparation {year}",
            "Rapport de consultation communautaire sur {s}",
            "{S} : leçons des {months} premiers mois d'introduction {where}",
            "{S} : rapport régional pour {region}",
        ],
        "es": [
            "{S}: informe de avance {year}",
            "Análisis del panorama: {s} {where}",
            "{S} {where}: resultados de la evaluación de preparación {year}",
            "Informe de la consulta comunitaria sobre {s}",
            "{S}: lecciones de los primeros {months} meses de introducción {where}",
            "{S}: informe regional para {region}",
        ],
    },
    "guidance": {
        "en": [
            "Operational guidance on {s}",
            "Implementation considerations: {s}",
            "Standard operating procedures: {s}",
            "Policy brief: {s} {where}",
            "Job aid for health workers: {s}",
        ],
        "fr": [
            "Guide opérationnel sur {s}",
            "Considérations pour la mise en œuvre : {s}",
            "Procédures opératoires standardisées : {s}",
            "Note de politique : {s} {where}",
            "Aide-mémoire pour les soignants : {s}",
        ],
        "es": [
            "Guía operativa sobre {s}",
            "Consideraciones para la implementación: {s}",
            "Procedimientos operativos estándar: {s}",
            "Nota de política: {s} {where}",
            "Ayuda de trabajo para el personal de salud: {s}",
        ],
    },
    "tool": {
        "en": [
            "Costing tool: {s}",
            "Site readiness checklist: {s}",
            "{S}: a facilitator's toolkit",
            "Dashboard template for monitoring {s}",
            "Counselling cards on {s}",
        ],
        "fr": [
            "Outil de calcul des coûts : {s}",
            "Liste de vérification de la préparation des sites : {s}",
            "{S} : boîte à outils de l'animateur",
            "Modèle de tableau de bord pour suivre {s}",
            "Cartes de conseil sur {s}",
        ],
        "es": [
            "Herramienta de costeo: {s}",
            "Lista de verificación de preparación de sitios: {s}",
            "{S}: caja de herramientas para facilitadores",
            "Plantilla de tablero para monitorear {s}",
            "Tarjetas de consejería sobre {s}",
        ],
    },
    "presentation": {
        "en": [
            "{S}: early results {where}",
            "{S}: what we learned in year one",
            "Learning call slides: {s}",
            "Conference presentation: {s} among {pop}",
        ],
        "fr": [
            "{S} : premiers résultats {where}",
            "{S} : ce que nous avons appris la première année",
            "Diapositives de l'appel d'apprentissage : {s}",
            "Présentation en conférence : {s} chez {pop}",
        ],
        "es": [
            "{S}: primeros resultados {where}",
            "{S}: lo que aprendimos en el primer año",
            "Diapositivas de la llamada de aprendizaje: {s}",
            "Presentación en congreso: {s} entre {pop}",
        ],
    },
    "story": {
        "en": [
            "From pilot to routine: {s} in {city}",
            "What {pop} in {city} taught us about {s}",
            "Voices from {city}: {s} in practice",
            "A year alongside a nurse: {s} in {city}",
        ],
        "fr": [
            "Du projet pilote à la routine : {s} à {city}",
            "Ce que {pop} de {city} nous ont appris sur {s}",
            "Paroles de {city} : {s} en pratique",
            "Un an aux côtés d'une infirmière : {s} à {city}",
        ],
        "es": [
            "Del piloto a la rutina: {s} en {city}",
            "Lo que {pop} de {city} nos enseñaron sobre {s}",
            "Voces de {city}: {s} en la práctica",
            "Un año junto a una enfermera: {s} en {city}",
        ],
    },
    "dataset": {
        "en": [
            "Dataset: {s}, facility-level data {where}, {year}",
            "Survey data on {s} among {pop}",
            "Open data: indicators on {s} by district {where}",
        ],
        "fr": [
            "Jeu de données : {s}, données par structure {where}, {year}",
            "Données d'enquête sur {s} chez {pop}",
            "Données ouvertes : indicateurs sur {s} par district {where}",
        ],
        "es": [
            "Conjunto de datos: {s}, datos por establecimiento {where}, {year}",
            "Datos de encuesta sobre {s} entre {pop}",
            "Datos abiertos: indicadores sobre {s} por distrito {where}",
        ],
    },
    "event": {
        "en": [
            "Webinar: {s}",
            "Regional workshop on {s} ({city}, {month_year})",
            "Learning call: {s}",
            "Satellite session: {s} among {pop}",
        ],
        "fr": [
            "Webinaire : {s}",
            "Atelier régional sur {s} ({city}, {month_year})",
            "Appel d'apprentissage : {s}",
            "Session satellite : {s} chez {pop}",
        ],
        "es": [
            "Seminario web: {s}",
            "Taller regional sobre {s} ({city}, {month_year})",
            "Llamada de aprendizaje: {s}",
            "Sesión satélite: {s} entre {pop}",
        ],
    },
    "funding": {
        "en": [
            "Call for proposals: {s}",
            "Small grants for community organizations working on {s}",
            "Research fellowship on {s}",
            "Request for applications: implementation research on {s} {where}",
        ],
        "fr": [
            "Appel à propositions : {s}",
            "Petites subventions pour les organisations communautaires qui travaillent sur {s}",
            "Bourse de recherche sur {s}",
            "Appel à candidatures : recherche de mise en œuvre sur {s} {where}",
        ],
        "es": [
            "Convocatoria de propuestas: {s}",
            "Pequeñas subvenciones para organizaciones comunitarias que trabajan en {s}",
            "Beca de investigación sobre {s}",
            "Convocatoria: investigación de implementación sobre {s} {where}",
        ],
    },
    "recording": {
        "en": [
            "Recording: webinar on {s}",
            "Podcast: {s}, with {speaker}",
            "Video: {s} {where}",
            "Recording of the learning call on {s}",
        ],
        "fr": [
            "Enregistrement : webinaire sur {s}",
            "Podcast : {s}, avec {speaker}",
            "Vidéo : {s} {where}",
            "Enregistrement de l'appel d'apprentissage sur {s}",
        ],
        "es": [
            "Grabación: seminario web sobre {s}",
            "Pódcast: {s}, con {speaker}",
            "Video: {s} {where}",
            "Grabación de la llamada de aprendizaje sobre {s}",
        ],
    },
}

# --- summaries: an opening per kind, then sentences of the kind's group --------------------------

OPENINGS: dict[str, dict[str, list[str]]] = {
    "article": {
        "en": [
            "We followed {n2} participants at {n} sites {where} for twelve months to study {s}.",
            "This study looks at {s} through the eyes of {pop} and of the health workers who serve them.",
            "Drawing on interviews, programme documents and routine data, the authors describe {s} {where}.",
        ],
        "fr": [
            "Nous avons suivi {n2} participants dans {n} sites {where} pendant douze mois pour étudier {s}.",
            "Cette étude examine {s} du point de vue de {pop} et des soignants qui les accompagnent.",
            "À partir d'entretiens, de documents de programme et de données de routine, les auteurs décrivent {s} {where}.",
        ],
        "es": [
            "Seguimos a {n2} participantes en {n} sitios {where} durante doce meses para estudiar {s}.",
            "Este estudio analiza {s} desde la perspectiva de {pop} y del personal de salud que las atiende.",
            "A partir de entrevistas, documentos de programa y datos de rutina, los autores describen {s} {where}.",
        ],
    },
    "report": {
        "en": [
            "This report brings together what {org} and its partners learned about {s} in {year}.",
            "Based on visits to {n} facilities and consultations with {n3} community members, the report takes stock of {s} {where}.",
            "A short, practical report for ministries, implementers and funders on where {s} stands today.",
        ],
        "fr": [
            "Ce rapport rassemble ce que {org} et ses partenaires ont appris sur {s} en {year}.",
            "À partir de visites dans {n} structures et de consultations avec {n3} membres de la communauté, le rapport fait le point sur {s} {where}.",
            "Un rapport court et pratique, destiné aux ministères, aux partenaires de mise en œuvre et aux bailleurs, sur l'état actuel de {s}.",
        ],
        "es": [
            "Este informe reúne lo que {org} y sus socios aprendieron sobre {s} en {year}.",
            "A partir de visitas a {n} establecimientos y consultas con {n3} integrantes de la comunidad, el informe hace un balance de {s} {where}.",
            "Un informe breve y práctico para ministerios, implementadores y financiadores sobre la situación actual de {s}.",
        ],
    },
    "guidance": {
        "en": [
            "This guidance sets out, step by step, what public and private facilities need to know about {s}.",
            "Written with programme managers and community representatives, it answers the questions sites ask most often about {s}.",
            "The document turns the latest evidence on {s} into decisions a district team can make.",
        ],
        "fr": [
            "Ce guide explique, étape par étape, ce que les structures publiques et privées doivent savoir sur {s}.",
            "Rédigé avec des responsables de programme et des représentants communautaires, il répond aux questions que les sites posent le plus souvent sur {s}.",
            "Le document traduit les données les plus récentes sur {s} en décisions à la portée d'une équipe de district.",
        ],
        "es": [
            "Esta guía explica, paso a paso, lo que los establecimientos públicos y privados deben saber sobre {s}.",
            "Redactada con gerentes de programa y representantes comunitarios, responde a las preguntas que los sitios hacen con más frecuencia sobre {s}.",
            "El documento traduce la evidencia más reciente sobre {s} en decisiones al alcance de un equipo distrital.",
        ],
    },
    "tool": {
        "en": [
            "A ready-to-use tool for teams working on {s}.",
            "This tool helps a team check, in under an hour, what is in place for {s} and what is missing.",
            "Adapted from tools used in {n} countries, it can be filled in on paper or in a spreadsheet.",
        ],
        "fr": [
            "Un outil prêt à l'emploi pour les équipes qui travaillent sur {s}.",
            "Cet outil aide une équipe à vérifier, en moins d'une heure, ce qui est en place pour {s} et ce qui manque.",
            "Adapté d'outils utilisés dans {n} pays, il se remplit sur papier ou dans un tableur.",
        ],
        "es": [
            "Una herramienta lista para usar para los equipos que trabajan en {s}.",
            "Esta herramienta ayuda a un equipo a comprobar, en menos de una hora, qué está listo para {s} y qué falta.",
            "Adaptada de herramientas usadas en {n} países, puede completarse en papel o en una hoja de cálculo.",
        ],
    },
    "presentation": {
        "en": [
            "Slides presented at the network's learning call on {date}.",
            "{speaker} presented the first results of the work on {s} {where}.",
            "The presentation walks through the design, the first {months} months and the questions still open.",
        ],
        "fr": [
            "Diapositives présentées lors de l'appel d'apprentissage du réseau le {date}.",
            "{speaker} a présenté les premiers résultats des travaux sur {s} {where}.",
            "La présentation revient sur la conception, les {months} premiers mois et les questions encore ouvertes.",
        ],
        "es": [
            "Diapositivas presentadas en la llamada de aprendizaje de la red el {date}.",
            "{speaker} presentó los primeros resultados del trabajo sobre {s} {where}.",
            "La presentación recorre el diseño, los primeros {months} meses y las preguntas pendientes.",
        ],
    },
    "story": {
        "en": [
            "When {org} began working on {s}, the team in {city} expected a slow start.",
            "{speaker} looks back on a year of work on {s}: the first clients, the setbacks and what changed.",
            "A peer navigator, a nurse and a young client tell how {s} fits into their week.",
        ],
        "fr": [
            "Quand {org} a commencé à travailler sur {s}, l'équipe de {city} s'attendait à des débuts lents.",
            "{speaker} revient sur une année de travail sur {s} : les premiers clients, les difficultés et ce qui a changé.",
            "Une paire navigatrice, une infirmière et une jeune cliente racontent la place de {s} dans leur semaine.",
        ],
        "es": [
            "Cuando {org} empezó a trabajar en {s}, el equipo de {city} esperaba un comienzo lento.",
            "{speaker} repasa un año de trabajo en {s}: los primeros usuarios, los tropiezos y lo que cambió.",
            "Una navegadora de pares, una enfermera y una joven usuaria cuentan cómo encaja {s} en su semana.",
        ],
    },
    "dataset": {
        "en": [
            "De-identified data from {n} facilities, collected between {year_start} and {year}.",
            "Answers from {n2} people to a survey on {s}, with the questionnaire and a codebook.",
            "Monthly indicators by district, in CSV, with a data dictionary and the scripts used to clean them.",
        ],
        "fr": [
            "Données anonymisées de {n} structures, recueillies entre {year_start} et {year}.",
            "Réponses de {n2} personnes à une enquête sur {s}, avec le questionnaire et un dictionnaire des variables.",
            "Indicateurs mensuels par district, au format CSV, avec un dictionnaire des données et les scripts de nettoyage.",
        ],
        "es": [
            "Datos anonimizados de {n} establecimientos, recogidos entre {year_start} y {year}.",
            "Respuestas de {n2} personas a una encuesta sobre {s}, con el cuestionario y un libro de códigos.",
            "Indicadores mensuales por distrito, en CSV, con un diccionario de datos y los scripts de limpieza.",
        ],
    },
    "event": {
        "en": [
            "Join us on {date} at {hour}:00 UTC for a {minutes}-minute session on {s}.",
            "A two-day workshop on {date} and the day after, for national programmes, implementers and community organizations working on {s}.",
            "On {date}, members share what they are trying on {s}, what works and what does not; bring a question.",
        ],
        "fr": [
            "Rendez-vous le {date} à {hour} h UTC pour une séance de {minutes} minutes sur {s}.",
            "Un atelier de deux jours, le {date} et le lendemain, pour les programmes nationaux, les partenaires de mise en œuvre et les organisations communautaires qui travaillent sur {s}.",
            "Le {date}, les membres partagent ce qu'ils essaient sur {s}, ce qui marche et ce qui ne marche pas ; venez avec une question.",
        ],
        "es": [
            "Acompáñenos el {date} a las {hour}:00 UTC en una sesión de {minutes} minutos sobre {s}.",
            "Un taller de dos días, el {date} y el día siguiente, para programas nacionales, implementadores y organizaciones comunitarias que trabajan en {s}.",
            "El {date}, los miembros comparten lo que están probando sobre {s}, lo que funciona y lo que no; traiga una pregunta.",
        ],
    },
    "funding": {
        "en": [
            "{org} invites proposals on {s}. Grants of up to {amount} for {months} months.",
            "Community-led organizations may apply for small grants ({amount} at most) to strengthen their work on {s}.",
            "A fellowship of {months} months for early-career researchers from low- and middle-income countries, offered by {org}.",
        ],
        "fr": [
            "{org} lance un appel à propositions sur {s}. Subventions jusqu'à {amount} pour {months} mois.",
            "Les organisations communautaires peuvent demander une petite subvention ({amount} au plus) pour renforcer leur travail sur {s}.",
            "Une bourse de {months} mois pour des chercheurs en début de carrière issus de pays à revenu faible ou intermédiaire, offerte par {org}.",
        ],
        "es": [
            "{org} convoca propuestas sobre {s}. Subvenciones de hasta {amount} por {months} meses.",
            "Las organizaciones comunitarias pueden solicitar pequeñas subvenciones (hasta {amount}) para fortalecer su trabajo en {s}.",
            "Una beca de {months} meses para investigadores jóvenes de países de ingresos bajos y medianos, ofrecida por {org}.",
        ],
    },
    "recording": {
        "en": [
            "The full recording ({minutes} minutes), with the slides and answers to the questions from the chat.",
            "{speaker} talks about {s}: what surprised the team and what they would do differently.",
            "A short film made with the community advisory board {where}.",
        ],
        "fr": [
            "L'enregistrement complet ({minutes} minutes), avec les diapositives et les réponses aux questions du chat.",
            "{speaker} parle de {s} : ce qui a surpris l'équipe et ce qu'elle ferait autrement.",
            "Un court métrage réalisé avec le comité consultatif communautaire {where}.",
        ],
        "es": [
            "La grabación completa ({minutes} minutos), con las diapositivas y las respuestas a las preguntas del chat.",
            "{speaker} habla sobre {s}: lo que sorprendió al equipo y lo que haría de otra manera.",
            "Un cortometraje realizado con el comité asesor comunitario {where}.",
        ],
    },
}

# Which group of sentences follows a kind's opening.
GROUP = {
    "article": "research", "report": "research", "presentation": "research",
    "recording": "research", "dataset": "dataset", "guidance": "practice", "tool": "practice",
    "story": "story", "event": "event", "funding": "funding",
}  # fmt: skip

MIDDLES: dict[str, dict[str, list[str]]] = {
    "research": {
        "en": [
            "Continuation at six months was {pct}%, and higher where {enabler}.",
            "Most participants ({pct}%) would recommend the option to a friend; the main worry was {worry}.",
            "Sites where {enabler} had {pct2}% fewer missed visits.",
            "The authors find that decisions depended more on {worry} than on the product itself.",
            "Three things made the difference: convenient opening hours, clear messages and a named contact person at each site.",
        ],
        "fr": [
            "La continuité à six mois était de {pct} %, et plus élevée là où {enabler}.",
            "La plupart des participants ({pct} %) recommanderaient l'option à un proche ; la principale inquiétude portait sur {worry}.",
            "Les sites où {enabler} comptaient {pct2} % de visites manquées en moins.",
            "Selon les auteurs, les décisions dépendaient davantage de {worry} que du produit lui-même.",
            "Trois éléments ont fait la différence : des horaires adaptés, des messages clairs et une personne de contact désignée dans chaque site.",
        ],
        "es": [
            "La continuidad a los seis meses fue del {pct} %, y mayor donde {enabler}.",
            "La mayoría de los participantes ({pct} %) recomendaría la opción a una amistad; la principal preocupación fue {worry}.",
            "Los sitios donde {enabler} tuvieron un {pct2} % menos de citas perdidas.",
            "Según los autores, las decisiones dependieron más de {worry} que del producto en sí.",
            "Tres cosas marcaron la diferencia: horarios convenientes, mensajes claros y una persona de contacto designada en cada sitio.",
        ],
    },
    "practice": {
        "en": [
            "It covers roles and responsibilities, the steps in order, the records to keep and what to report.",
            "Each section ends with a short checklist and examples from sites {where}.",
            "Annexes include model forms, a training outline and a list of indicators.",
            "The {year} edition adds a chapter on {s2}.",
        ],
        "fr": [
            "Il couvre les rôles et responsabilités, les étapes dans l'ordre, les registres à tenir et ce qu'il faut rapporter.",
            "Chaque section se termine par une courte liste de vérification et des exemples de sites {where}.",
            "Les annexes comprennent des formulaires types, un plan de formation et une liste d'indicateurs.",
            "L'édition {year} ajoute un chapitre sur {s2}.",
        ],
        "es": [
            "Cubre las funciones y responsabilidades, los pasos en orden, los registros que se deben llevar y lo que hay que reportar.",
            "Cada sección termina con una breve lista de verificación y ejemplos de sitios {where}.",
            "Los anexos incluyen formularios modelo, un esquema de capacitación y una lista de indicadores.",
            "La edición {year} añade un capítulo sobre {s2}.",
        ],
    },
    "story": {
        "en": [
            "The number of people coming back on time grew month after month once {enabler}.",
            "Not everything worked: because of {worry}, some people stayed away, and the team had to rethink its outreach.",
            "The story ends with three tips for other teams.",
        ],
        "fr": [
            "Le nombre de personnes revenant à temps a augmenté de mois en mois dès que {enabler}.",
            "Tout n'a pas fonctionné : à cause de {worry}, certaines personnes ne sont pas venues, et l'équipe a dû revoir sa stratégie de proximité.",
            "Le récit se termine par trois conseils pour d'autres équipes.",
        ],
        "es": [
            "El número de personas que volvían a tiempo creció mes a mes en cuanto {enabler}.",
            "No todo funcionó: por {worry}, algunas personas no volvieron, y el equipo tuvo que replantear su estrategia de acercamiento.",
            "El relato termina con tres consejos para otros equipos.",
        ],
    },
    "dataset": {
        "en": [
            "Variables include age group, sex, visit dates, product, reasons for stopping and HIV test results.",
            "Access is open under a CC BY 4.0 licence; please cite the dataset and its DOI.",
            "The data were used in {n} published analyses, listed in the README.",
        ],
        "fr": [
            "Les variables comprennent le groupe d'âge, le sexe, les dates de visite, le produit, les raisons d'arrêt et les résultats des tests VIH.",
            "L'accès est libre sous licence CC BY 4.0 ; merci de citer le jeu de données et son DOI.",
            "Les données ont servi à {n} analyses publiées, listées dans le fichier README.",
        ],
        "es": [
            "Las variables incluyen grupo de edad, sexo, fechas de visita, producto, motivos de suspensión y resultados de la prueba del VIH.",
            "El acceso es abierto con licencia CC BY 4.0; por favor, cite el conjunto de datos y su DOI.",
            "Los datos se usaron en {n} análisis publicados, enumerados en el README.",
        ],
    },
    "event": {
        "en": [
            "Speakers: {speaker} and colleagues from {n} member organizations.",
            "Interpretation into English, French and Spanish will be available.",
            "The session will be recorded; the recording and slides will be posted in the resource center.",
        ],
        "fr": [
            "Intervenants : {speaker} et des collègues de {n} organisations membres.",
            "Une interprétation en anglais, français et espagnol sera assurée.",
            "La séance sera enregistrée ; l'enregistrement et les diapositives seront publiés dans le centre de ressources.",
        ],
        "es": [
            "Ponentes: {speaker} y colegas de {n} organizaciones miembro.",
            "Habrá interpretación al inglés, francés y español.",
            "La sesión se grabará; la grabación y las diapositivas se publicarán en el centro de recursos.",
        ],
    },
    "funding": {
        "en": [
            "Deadline for applications: {deadline}.",
            "Priority goes to proposals led by organizations based in the countries where the work happens.",
            "Consortia of up to three organizations are welcome; one must be community-led.",
        ],
        "fr": [
            "Date limite de dépôt : {deadline}.",
            "La priorité va aux propositions portées par des organisations basées dans les pays où se déroule le travail.",
            "Les consortiums de trois organisations au plus sont les bienvenus ; l'une d'elles doit être communautaire.",
        ],
        "es": [
            "Fecha límite para postular: {deadline}.",
            "Se dará prioridad a las propuestas lideradas por organizaciones con sede en los países donde se realiza el trabajo.",
            "Se aceptan consorcios de hasta tres organizaciones; una de ellas debe ser comunitaria.",
        ],
    },
}

# Which area a leaf topic belongs to: sentences about clinics and clients fit delivery topics;
# regulatory and market topics have sentences of their own and no population in their titles.
AREAS: dict[str, str] = {
    "registration": "regulatory", "pharmacovigilance": "regulatory",
    "pricing-procurement": "markets", "costing": "markets",
}  # fmt: skip

# The openings that fit each title (by index): a podcast is not introduced as "the full
# recording", a workshop not as a webinar. Kinds not listed take any opening.
OPENING_FOR: dict[str, list[list[int]]] = {
    "article": [[0, 1, 2], [1, 2], [0, 2], [2], [0, 2], [0, 2], [2]],
    "event": [[0], [1], [2, 0], [0, 2]],
    "funding": [[0], [1], [2], [0]],
    "recording": [[0], [1], [2], [0]],
    "presentation": [[1, 2], [1, 2], [0], [1, 2]],
    "dataset": [[0, 2], [1], [2, 0]],
}

MIDDLES_BY_AREA: dict[str, dict[str, list[str]]] = {
    "regulatory": {
        "en": [
            "Across {n} countries, the median time from dossier submission to approval was {months} months.",
            "Relying on an earlier approval shortened national reviews by about {pct2}%.",
            "Where each site had a named focal person, reports of adverse events doubled.",
            "Most delays came from missing documents rather than from the review itself.",
        ],
        "fr": [
            "Dans {n} pays, le délai médian entre le dépôt du dossier et l'approbation était de {months} mois.",
            "S'appuyer sur une approbation antérieure a raccourci les évaluations nationales d'environ {pct2} %.",
            "Là où chaque site avait un point focal désigné, les notifications d'événements indésirables ont doublé.",
            "La plupart des retards venaient de documents manquants plutôt que de l'évaluation elle-même.",
        ],
        "es": [
            "En {n} países, la mediana entre la presentación del expediente y la aprobación fue de {months} meses.",
            "Apoyarse en una aprobación previa acortó las evaluaciones nacionales en torno a un {pct2} %.",
            "Donde cada sitio tenía un punto focal designado, las notificaciones de eventos adversos se duplicaron.",
            "La mayoría de los retrasos se debieron a documentos faltantes más que a la evaluación en sí.",
        ],
    },
    "markets": {
        "en": [
            "At current prices, the product accounts for {pct}% of the cost per person-year; staff time for most of the rest.",
            "The cost per person-year falls by about {pct2}% when volumes double.",
            "Forecasts based on consumption came closer to actual orders than forecasts based on targets.",
            "Domestic budgets covered less than a fifth of prevention spending in most of the {n} countries studied.",
        ],
        "fr": [
            "Aux prix actuels, le produit représente {pct} % du coût par personne-année ; le temps du personnel, l'essentiel du reste.",
            "Le coût par personne-année baisse d'environ {pct2} % quand les volumes doublent.",
            "Les prévisions fondées sur la consommation étaient plus proches des commandes réelles que celles fondées sur les cibles.",
            "Les budgets nationaux couvraient moins d'un cinquième des dépenses de prévention dans la plupart des {n} pays étudiés.",
        ],
        "es": [
            "A los precios actuales, el producto representa el {pct} % del costo por persona-año; el tiempo del personal, casi todo el resto.",
            "El costo por persona-año baja alrededor de un {pct2} % cuando los volúmenes se duplican.",
            "Las previsiones basadas en el consumo se acercaron más a los pedidos reales que las basadas en metas.",
            "Los presupuestos nacionales cubrieron menos de una quinta parte del gasto en prevención en la mayoría de los {n} países estudiados.",
        ],
    },
}

BULLETS_BY_AREA: dict[str, dict[str, list[str]]] = {
    "regulatory": {
        "en": [
            "Publish review timelines and keep to them.",
            "Share assessment reports between regulators.",
            "Align import permits with registration.",
            "Name a focal person for safety reports at each site.",
            "Train nurses to recognize and report adverse events.",
        ],
        "fr": [
            "Publier les délais d'évaluation et les respecter.",
            "Partager les rapports d'évaluation entre autorités de réglementation.",
            "Aligner les autorisations d'importation sur l'enregistrement.",
            "Désigner un point focal pour la notification des effets indésirables dans chaque site.",
            "Former les infirmiers à reconnaître et notifier les événements indésirables.",
        ],
        "es": [
            "Publicar los plazos de evaluación y cumplirlos.",
            "Compartir los informes de evaluación entre autoridades regulatorias.",
            "Alinear los permisos de importación con el registro.",
            "Designar un punto focal para los reportes de seguridad en cada sitio.",
            "Capacitar a enfermería para reconocer y notificar eventos adversos.",
        ],
    },
    "markets": {
        "en": [
            "In the first year, staff time costs more than the product.",
            "Pooled orders cut lead times by weeks.",
            "Forecast from consumption, not from targets.",
            "Budget for demand creation from the start.",
            "Plan for a second supplier early.",
        ],
        "fr": [
            "La première année, le temps du personnel coûte plus cher que le produit.",
            "Les commandes groupées réduisent les délais de plusieurs semaines.",
            "Prévoir à partir de la consommation, pas des cibles.",
            "Budgéter la création de la demande dès le départ.",
            "Prévoir tôt un second fournisseur.",
        ],
        "es": [
            "En el primer año, el tiempo del personal cuesta más que el producto.",
            "Las compras conjuntas acortan los plazos en varias semanas.",
            "Prever a partir del consumo, no de las metas.",
            "Presupuestar la generación de demanda desde el inicio.",
            "Planificar pronto un segundo proveedor.",
        ],
    },
}

HEADINGS: dict[str, Words] = {
    "research": Words("Key points", "Points clés", "Puntos clave"),
    "practice": Words("What's inside", "Contenu", "Contenido"),
}

BULLETS: dict[str, dict[str, list[str]]] = {
    "research": {
        "en": [
            "Same-day start was possible at {pct}% of visits.",
            "Most people who stopped did so in the first three months.",
            "Community health workers made {pct2}% of follow-up contacts.",
            "Costs per client fell by a third in the second year.",
            "Young clients preferred walk-in hours to booked appointments.",
            "Stock-outs became rare once orders followed consumption data.",
        ],
        "fr": [
            "Le démarrage le jour même a été possible lors de {pct} % des visites.",
            "La plupart des arrêts ont eu lieu dans les trois premiers mois.",
            "Les agents de santé communautaires ont assuré {pct2} % des contacts de suivi.",
            "Le coût par client a baissé d'un tiers la deuxième année.",
            "Les jeunes préféraient les consultations sans rendez-vous.",
            "Les ruptures de stock sont devenues rares dès que les commandes ont suivi les données de consommation.",
        ],
        "es": [
            "El inicio en el mismo día fue posible en el {pct} % de las visitas.",
            "La mayoría de quienes suspendieron lo hicieron en los primeros tres meses.",
            "Los agentes comunitarios de salud realizaron el {pct2} % de los contactos de seguimiento.",
            "El costo por usuario bajó un tercio en el segundo año.",
            "Los jóvenes preferían la atención sin cita a las citas programadas.",
            "Los desabastecimientos se volvieron raros cuando los pedidos siguieron los datos de consumo.",
        ],
    },
    "practice": {
        "en": [
            "Who may start, and when to refer",
            "A visit-by-visit schedule",
            "What to do after a missed injection",
            "Roles of nurses, pharmacists and peer navigators",
            "Indicators to report each month",
            "Messages for clients, in plain language",
        ],
        "fr": [
            "Qui peut commencer, et quand orienter",
            "Un calendrier visite par visite",
            "Que faire après une injection manquée",
            "Rôles des infirmiers, des pharmaciens et des pairs navigateurs",
            "Les indicateurs à rapporter chaque mois",
            "Des messages simples pour les clients",
        ],
        "es": [
            "Quién puede iniciar y cuándo referir",
            "Un calendario visita por visita",
            "Qué hacer después de una inyección perdida",
            "Funciones de enfermería, farmacia y navegadores de pares",
            "Indicadores para reportar cada mes",
            "Mensajes para usuarios, en lenguaje sencillo",
        ],
    },
}

CLOSINGS: dict[str, dict[str, list[str]]] = {
    "research": {
        "en": [
            "The authors call for {call}.",
            "Useful for programme managers planning a first introduction.",
            "Comments and questions are welcome in the network's discussions.",
        ],
        "fr": [
            "Les auteurs plaident pour {call}.",
            "Utile aux responsables de programme qui préparent une première introduction.",
            "Vos commentaires et questions sont les bienvenus dans les discussions du réseau.",
        ],
        "es": [
            "Los autores piden {call}.",
            "Útil para gerentes de programa que preparan una primera introducción.",
            "Comentarios y preguntas son bienvenidos en las discusiones de la red.",
        ],
    },
    "practice": {
        "en": [
            "Free to adapt; please credit {org}.",
            "Printable in A4 and letter formats.",
            "Feedback from sites will shape the next edition.",
        ],
        "fr": [
            "Libre d'adaptation ; merci de citer {org}.",
            "Imprimable aux formats A4 et lettre.",
            "Les retours des sites nourriront la prochaine édition.",
        ],
        "es": [
            "Puede adaptarse libremente; por favor, cite a {org}.",
            "Imprimible en formato A4 y carta.",
            "Los comentarios de los sitios orientarán la próxima edición.",
        ],
    },
    "story": {
        "en": ["Shared with the consent of everyone named.", "Names have been changed at the clients' request."],
        "fr": ["Publié avec l'accord de toutes les personnes citées.", "Les noms ont été changés à la demande des clients."],
        "es": ["Publicado con el consentimiento de todas las personas mencionadas.", "Los nombres se cambiaron a pedido de los usuarios."],
    },
    "dataset": {
        "en": ["Contact the data steward to ask for the restricted variables.", "Please tell us how you use the data: we list reuses in the README."],
        "fr": ["Contactez le responsable des données pour demander les variables à accès restreint.", "Dites-nous comment vous utilisez les données : nous listons les réutilisations dans le README."],
        "es": ["Contacte al responsable de datos para solicitar las variables de acceso restringido.", "Cuéntenos cómo usa los datos: enumeramos los reusos en el README."],
    },
    "event": {
        "en": ["Registration is free; the link is sent to members the week before.", "Places are limited to {n3} participants."],
        "fr": ["L'inscription est gratuite ; le lien est envoyé aux membres la semaine précédente.", "Les places sont limitées à {n3} participants."],
        "es": ["La inscripción es gratuita; el enlace se envía a los miembros la semana anterior.", "Los cupos están limitados a {n3} participantes."],
    },
    "funding": {
        "en": ["Questions can be sent to the programme team until two weeks before the deadline.", "An information webinar is held three weeks before the deadline."],
        "fr": ["Les questions peuvent être envoyées à l'équipe du programme jusqu'à deux semaines avant la date limite.", "Un webinaire d'information a lieu trois semaines avant la date limite."],
        "es": ["Las preguntas pueden enviarse al equipo del programa hasta dos semanas antes de la fecha límite.", "Se realiza un seminario web informativo tres semanas antes de la fecha límite."],
    },
}  # fmt: skip

# --- who publishes what, and where --------------------------------------------------------------


class Body(NamedTuple):
    """A real body whose site hosts some of the demo's resources (never fetched by the demo)."""

    name: str
    kinds: tuple[str, ...]
    url: str  # a pattern: {slug} {year} {digits} {doi}


BODIES: list[Body] = [
    Body("World Health Organization", ("guidance", "report", "tool"), "https://www.who.int/publications/i/item/978924{digits}"),
    Body("UNAIDS", ("report", "guidance"), "https://www.unaids.org/en/resources/documents/{year}/{slug}"),
    Body("Unitaid", ("report",), "https://unitaid.org/publication/{slug}/"),
    Body("AVAC", ("report", "tool"), "https://avac.org/resource/{slug}/"),
    Body("PrEPWatch", ("tool", "guidance", "dataset"), "https://www.prepwatch.org/resources/{slug}/"),
    Body("The Global Fund", ("report",), "https://www.theglobalfund.org/en/updates/{year}/{slug}/"),
]  # fmt: skip

JOURNALS: list[str] = [
    "https://onlinelibrary.wiley.com/doi/10.1002/jia2.{digits5}",
    "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0{digits6}",
    "https://www.thelancet.com/journals/lanhiv/article/PIIS2352-3018({yy})00{digits3}-{d}/fulltext",
    "https://bmcpublichealth.biomedcentral.com/articles/10.1186/s12889-0{yy}-{digits5}-{d}",
    "https://link.springer.com/article/10.1007/s10461-0{yy}-0{digits4}-{d}",
    "https://journals.lww.com/aidsonline/fulltext/{year}/{slug}.aspx",
]

DATA_HOSTS: list[str] = [
    "https://zenodo.org/records/{digits7}",
    "https://datadryad.org/stash/dataset/doi:10.5061/dryad.{code}",
    "https://data.humdata.org/dataset/{slug}",
]

VIDEO_HOSTS: list[str] = [
    "https://www.youtube.com/watch?v={video}",
    "https://vimeo.com/{digits9}",
]

# Where a member organization keeps each kind on its own site.
SECTIONS: dict[str, str] = {
    "article": "publications", "report": "publications", "guidance": "guidance", "tool": "tools",
    "presentation": "slides", "story": "stories", "dataset": "data", "event": "events",
    "funding": "calls", "recording": "media",
}  # fmt: skip

# Co-authors who are not members of the network (invented names).
OTHER_AUTHORS: list[str] = [
    "R. Bennett", "T. Okafor", "M. Rojas", "A. Ndiaye", "P. Sharma", "L. Fontaine", "J. Mwale",
    "S. Quispe", "K. Asante", "E. Whitaker", "F. Traoré", "C. Navarro", "D. Chanda", "H. Moreau",
    "N. Srisuk", "V. Almeida", "G. Habimana", "I. Mensah",
]  # fmt: skip

ARCHIVE_NOTES = [
    "Superseded by a newer edition.",
    "The programme ended; kept for the record.",
    "Replaced by the national guidelines.",
    "Out of date: the product's label has changed since.",
]
REVIEW_NOTES = [
    "Checking the link and the topics before publishing.",
    "Taken into review: the summary needs a line on who it is for.",
    "Checking that the authors agree to a public listing.",
    "",
]
EDIT_NOTES = {
    "summary": ["Added the key findings to the summary.", "Tidied the summary.", ""],
    "topics": ["Added a topic.", "Filed under one more topic so it shows in both."],
    "title": ["Shorter, clearer title.", "Title as published by the journal."],
    "phases": ["Tagged with the life-cycle phases it helps with."],
    "other_authors": ["Added the co-authors from outside the network."],
    "visibility": [
        "Made public with the authors' agreement.",
        "Shared with the network only, as the authors asked.",
    ],
}
BROKEN_LINKS = [
    "The page was not found (404).",
    "The page was not found (404).",
    "The page is gone (410).",
    "The site had an error (503).",
    "The link could not be reached: the server did not answer within 20 seconds.",
    "The site refused access (403).",
]

# --- the action network: a handful of hand-written resources -------------------------------------


class Written(NamedTuple):
    kind: str
    language: str
    title: str
    summary: str
    url: str
    topics: tuple[str, ...]
    translation_of: int = -1  # index of the original in the same list


VDAN_RESOURCES: list[Written] = [
    Written("guidance", "en", "Maintenance schedule for solar direct-drive refrigerators",
            "A one-page schedule for health-centre staff: what to clean, check and record each week, month and year.\n\n**Includes** a fault log and who to call when the temperature alarm goes off twice in a week.",
            "https://meridian-collaborative.example.org/vdan/sdd-maintenance-schedule", ("solar-refrigeration",)),
    Written("guidance", "fr", "Calendrier d'entretien des réfrigérateurs solaires à entraînement direct",
            "Un calendrier d'une page pour le personnel des centres de santé : ce qu'il faut nettoyer, vérifier et noter chaque semaine, chaque mois et chaque année.\n\n**Comprend** un registre des pannes et les contacts à appeler quand l'alarme de température sonne deux fois dans la semaine.",
            "https://meridian-collaborative.example.org/vdan/fr/calendrier-entretien-refrigerateurs", ("solar-refrigeration",), 0),
    Written("report", "en", "Remote temperature monitoring: a year of alarms in 140 health facilities",
            "We looked at every alarm raised by remote temperature monitoring devices in 140 facilities over twelve months. Most alarms came from power cuts shorter than two hours; a third of the longer ones had no recorded response.\n\nThe report proposes a simple escalation chart for district cold chain officers.",
            "https://polder-supply.example.org/publications/remote-temperature-monitoring-year-of-alarms", ("temperature-monitoring",)),
    Written("article", "en", "Drone delivery of vaccines to island health posts: costs and timeliness",
            "A before-and-after comparison of boat and drone deliveries to 18 island health posts. Drones cut the median delivery time from two days to 40 minutes; the cost per dose delivered was 30% higher, falling with volume.",
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0304417", ("last-mile-delivery",)),
    Written("tool", "en", "Outreach session micro-planning template",
            "A spreadsheet to plan outreach sessions: villages, target children, vaccines and diluents, cold boxes and transport. Prints as one page per session.",
            "https://meridian-collaborative.example.org/vdan/tools/outreach-micro-planning", ("last-mile-delivery", "supply-forecasting")),
    Written("story", "en", "How a women's group in Kasese found the zero-dose children",
            "Members of a savings group walked their own villages with the health assistant's list and found 63 children who had never been vaccinated. Their method is now part of the district's catch-up plan.",
            "https://kivuli-health.example.org/stories/kasese-zero-dose-children", ("vaccine-demand",)),
    Written("report", "en", "Forecasting needs for new vaccines: joint workplan, first six months",
            "What the network's forecasting working group did in its first six months: a shared template, stock data from four countries and a list of the assumptions that matter most.",
            "https://meridian-collaborative.example.org/vdan/forecasting-workplan-six-months", ("supply-forecasting",)),
    Written("presentation", "fr", "Réduire les pertes de vaccins : résultats d'un an de suivi en Côte d'Ivoire",
            "Diapositives présentées à la réunion du réseau : les taux de perte par antigène et par district, et les trois mesures qui les ont réduits.",
            "https://lagune-innovation.example.org/presentations/pertes-vaccins-cote-divoire", ("supply-forecasting", "cold-chain")),
    Written("event", "en", "Working session: cold chain equipment inventory update",
            "A two-hour working session for the members who committed to the joint inventory: we check the shared sheet country by country and agree the next data request.",
            "https://meridian-collaborative.example.org/vdan/events/cold-chain-inventory-session", ("cold-chain",)),
    Written("article", "en", "SMS reminders and vaccination timeliness: a cluster-randomized trial",
            "Caregivers in 48 clinics were randomized to SMS reminders or usual care. On-time completion of the third pentavalent dose rose from 61% to 72%.",
            "https://bmcpublichealth.biomedcentral.com/articles/10.1186/s12889-024-18811-2", ("vaccine-demand",)),
    Written("article", "fr", "Rappels par SMS et respect du calendrier vaccinal : un essai randomisé en grappes",
            "Les parents de 48 centres ont été répartis au hasard entre des rappels par SMS et la prise en charge habituelle. L'achèvement à temps de la troisième dose de pentavalent est passé de 61 % à 72 %.",
            "https://meridian-collaborative.example.org/vdan/fr/rappels-sms-calendrier-vaccinal", ("vaccine-demand",), 9),
    Written("recording", "en", "Recording: financing solar refrigerators beyond donor programmes",
            "A 60-minute discussion with ministry, manufacturer and funder members on leasing, maintenance contracts and who pays for spare parts.",
            "https://vimeo.com/902114387", ("solar-refrigeration",)),
]  # fmt: skip

# --- feeds ----------------------------------------------------------------------------------------


class FeedSpec(NamedTuple):
    key: str
    title: str
    url: str
    site_url: str
    kind: str  # the default kind of the resources it brings
    topics: tuple[str, ...]
    interval_minutes: int
    items: int
    link: str  # a pattern for its items' links
    author: str = ""  # "" : the items name their own authors


FEEDS: list[FeedSpec] = [
    FeedSpec("journal", "Journal of the International AIDS Society: latest articles",
             "https://onlinelibrary.wiley.com/feed/17582652/most-recent",
             "https://onlinelibrary.wiley.com/journal/17582652", "article", ("delivery",), 720, 18,
             "https://onlinelibrary.wiley.com/doi/10.1002/jia2.{digits5}"),
    FeedSpec("who", "WHO: news", "https://www.who.int/rss-feeds/news-english.xml",
             "https://www.who.int/news", "report", ("regulatory",), 360, 12,
             "https://www.who.int/news/item/{dmy}-{slug}", "World Health Organization"),
    FeedSpec("calls", "Northstar Philanthropies: open calls",
             "https://northstar-phil.example.org/calls/feed.xml",
             "https://northstar-phil.example.org/calls/", "funding", (), 1440, 9,
             "https://northstar-phil.example.org/calls/{slug}", "Northstar Philanthropies"),
    FeedSpec("blog", "Kivuli Community Health Trust: blog",
             "https://kivuli-health.example.org/blog/feed/",
             "https://kivuli-health.example.org/blog/", "story", ("community",), 720, 10,
             "https://kivuli-health.example.org/blog/{slug}", "Kivuli Community Health Trust"),
    FeedSpec("preprints", "medRxiv: HIV/AIDS preprints",
             "https://connect.medrxiv.org/medrxiv_xml.php?subject=HIV_AIDS",
             "https://www.medrxiv.org/collection/hiv-aids", "article", ("long-acting-products",), 360, 16,
             "https://www.medrxiv.org/content/10.1101/{ymd}.{digits8}v1"),
]  # fmt: skip

FEED_ERROR = "The server did not answer within 20 seconds."

WHO_NEWS: list[tuple[str, str]] = [
    ("Countries share early lessons on introducing long-acting HIV prevention", "Ministries of health from eleven countries met to compare their first year of introducing long-acting PrEP: what sped it up, and what held it back."),
    ("New policy brief on differentiated HIV prevention services", "The brief describes how prevention services can be organized around people's needs, including pharmacy and community delivery."),
    ("Regional consultation on regulatory reliance for new HIV prevention products", "Regulators discussed how to shorten the time between a first approval and registration in their countries."),
    ("Update on supply planning for long-acting injectables", "Partners reviewed forecasts for the next three years and the steps needed to avoid stock-outs as programmes grow."),
    ("Technical meeting on HIV drug resistance in prevention programmes", "Experts reviewed how to monitor drug resistance among people who acquire HIV while using long-acting PrEP."),
    ("Integrating HIV prevention in antenatal care: call for public comment", "A draft guidance document on offering prevention during pregnancy and breastfeeding is open for comment for six weeks."),
    ("Health ministers commit to expanding choice in HIV prevention", "A joint statement commits to offering several prevention options, so that people can choose the one that suits them."),
    ("Webinar series on implementation research for long-acting PrEP", "A monthly series for researchers and programme managers, starting with methods for measuring continuation."),
    ("Global consultation on prevention for adolescent girls and young women", "Young women leaders, researchers and programme managers set priorities for the next five years."),
    ("New online course for health workers on injectable PrEP", "A free, self-paced course covering eligibility, injection technique, missed visits and record keeping."),
    ("Joint statement on pharmacovigilance for new prevention products", "Partners agree on shared minimum standards for monitoring safety once new products are in use."),
    ("World AIDS Day: putting communities at the centre of prevention", "Community-led organizations show how they bring prevention services closer to the people who need them."),
]  # fmt: skip

BLOG_POSTS: list[tuple[str, str]] = [
    ("Our first hundred injections in Homa Bay", "Three months in, the youth clinic gave its hundredth injection. What helped most was a second nurse on Saturdays."),
    ("Why we moved injection days to the market day", "Attendance doubled once injections were offered on the day people come to town anyway."),
    ("Peer navigators: what the job really involves", "Our navigators describe a typical week: phone calls, home visits, and a lot of listening."),
    ("What young women asked us at the school health fair", "The three questions we heard most, and how we answer them."),
    ("Training pharmacists to give injections: notes from the first cohort", "Twelve pharmacists completed the course; here is what they found hardest."),
    ("When the stock ran out: a lesson in forecasting", "A two-week stock-out taught us to order from consumption, not from targets."),
    ("Community radio call-in shows: a season in review", "Six shows, forty calls, and the myths we heard most often."),
    ("Counselling for choice: letting clients lead", "How our counsellors present every option without steering."),
    ("A visit from the national programme", "The national team came to see how we follow up missed injections."),
    ("Saying goodbye to our first cohort of youth advocates", "Ten advocates finish their year with us; four will stay on as mentors."),
]  # fmt: skip
