# ruff: noqa: E501  (a table of data reads best one row per line)
"""Word pools for the demo network and the synthetic generator.

Every organization and person here is fictional: organization names are invented, people's names
are drawn at random from common first and last names of a region, and every web address is under
example.org (RFC 2606), so nothing here points to a real person, site or mailbox.

Topics, titles and sentence templates come in English, French and Spanish: a profile is written in
the language its author would use, so the directory has three languages to search."""

from __future__ import annotations

from typing import NamedTuple

DEMO_SEED = 20240917
DEMO_PASSWORD = "netweave-demo"  # noqa: S105 - published on purpose: the demo's shared password
COORDINATOR_EMAIL = "coordinator@demo.netweave.org"
MEMBER_EMAIL = "member@demo.netweave.org"
ADMIN_EMAIL = "admin@demo.netweave.org"

LANGS = ("en", "fr", "es")


class Org(NamedTuple):
    name: str
    kind: str  # people.Organization.Kind value
    country: str  # ISO 3166-1 alpha-2
    sector: str
    domain: str  # always under example.org

    @property
    def website(self) -> str:
        return f"https://{self.domain}"


HOST = Org(
    "Meridian Global Health Collaborative",
    "ngo",
    "CH",
    "Network coordination",
    "meridian-collaborative.example.org",
)

ORGANIZATIONS: list[Org] = [
    Org("Kivuli Community Health Trust", "ngo", "KE", "Community health", "kivuli-health.example.org"),
    Org("Mlima University School of Public Health", "university", "KE", "Academic research", "mlima-uni.example.org"),
    Org("Lakeland County Health Department", "government", "KE", "Public health services", "lakeland-health.example.org"),
    Org("Nile Basin Prevention Research Centre", "university", "UG", "Clinical research", "nilebasin-prc.example.org"),
    Org("Tumaini Youth Alliance", "ngo", "UG", "Youth advocacy", "tumaini-youth.example.org"),
    Org("Lake Victoria Regional Health Authority", "government", "UG", "Public health services", "lvrha.example.org"),
    Org("Pwani Health Innovations Ltd", "company", "TZ", "Digital health", "pwani-innovations.example.org"),
    Org("Ubuntu Implementation Science Institute", "university", "ZA", "Implementation research", "ubuntu-isi.example.org"),
    Org("Karoo Pharmaceuticals (Pty) Ltd", "company", "ZA", "Generic manufacturing", "karoo-pharma.example.org"),
    Org("Thandeka Women's Health Collective", "ngo", "ZA", "Women's health", "thandeka-collective.example.org"),
    Org("Zambezi Health Systems Trust", "ngo", "ZW", "Health systems", "zambezi-hst.example.org"),
    Org("Copperbelt Prevention Alliance", "ngo", "ZM", "HIV prevention", "copperbelt-prevention.example.org"),
    Org("Lakeshore Clinical Research Unit", "university", "MW", "Clinical research", "lakeshore-cru.example.org"),
    Org("Zomba District Health Office", "government", "MW", "Public health services", "zomba-dho.example.org"),
    Org("Niger Delta Institute for Health Equity", "university", "NG", "Health equity research", "ndihe.example.org"),
    Org("Ayo Health Foundation", "ngo", "NG", "Community health", "ayo-health.example.org"),
    Org("Akwaaba Health Partners", "ngo", "GH", "Service delivery", "akwaaba-partners.example.org"),
    Org("Volta Biomedical Analytics", "company", "GH", "Data and analytics", "volta-analytics.example.org"),
    Org("Inzira Health Futures", "ngo", "RW", "Health policy", "inzira-futures.example.org"),
    Org("Kgalagadi Health Research Partnership", "university", "BW", "Clinical research", "kgalagadi-hrp.example.org"),
    Org("Kalahari Community Advisory Board", "ngo", "BW", "Community engagement", "kalahari-cab.example.org"),
    Org("Entoto Public Health Institute", "university", "ET", "Public health research", "entoto-phi.example.org"),
    Org("Maputo Bay Health Collaborative", "ngo", "MZ", "Service delivery", "maputobay-health.example.org"),
    Org("Institut Téranga de Recherche en Santé", "university", "SN", "Recherche en santé", "teranga-recherche.example.org"),
    Org("Association Jigeen Santé", "ngo", "SN", "Santé des femmes", "jigeen-sante.example.org"),
    Org("Réseau Ivoirien Prévention Plus", "ngo", "CI", "Prévention du VIH", "rip-plus.example.org"),
    Org("Clinique Lagune Innovation", "company", "CI", "Soins cliniques", "lagune-innovation.example.org"),
    Org("Centre Mont-Fako pour la Santé Communautaire", "ngo", "CM", "Santé communautaire", "montfako-sante.example.org"),
    Org("Fondation Congo Espoir Santé", "ngo", "CD", "Santé communautaire", "congo-espoir.example.org"),
    Org("Division Provinciale de la Santé du Haut-Lac", "government", "CD", "Services publics de santé", "dps-hautlac.example.org"),
    Org("Observatoire Sahélien de la Santé", "university", "BF", "Recherche en santé publique", "oss-sahel.example.org"),
    Org("Association Kènèya Jeunes", "ngo", "ML", "Santé des jeunes", "keneya-jeunes.example.org"),
    Org("Fondation Lakay Santé", "ngo", "HT", "Santé communautaire", "lakay-sante.example.org"),
    Org("Institut Lumière de Recherche Clinique", "university", "FR", "Recherche clinique", "ilrc.example.org"),
    Org("Laboratoires Alizé Pharma", "company", "FR", "Industrie pharmaceutique", "alize-pharma.example.org"),
    Org("Agence Solidarité Santé Mondiale", "funder", "FR", "Financement de la santé", "assm.example.org"),
    Org("Centre Meuse-Escaut de Médecine Tropicale", "university", "BE", "Médecine tropicale", "cmemt.example.org"),
    Org("Fondation Léman pour la Santé Globale", "funder", "CH", "Philanthropie", "leman-sante.example.org"),
    Org("Alpbridge Regulatory Consultants", "company", "CH", "Regulatory science", "alpbridge-regulatory.example.org"),
    Org("Instituto Nopal de Salud Pública", "university", "MX", "Salud pública", "insp-nopal.example.org"),
    Org("Colectivo Juventud Prevención", "ngo", "MX", "Juventud y prevención", "juventud-prevencion.example.org"),
    Org("Fundación Cordillera Salud", "ngo", "CO", "Salud comunitaria", "cordillera-salud.example.org"),
    Org("Secretaría de Salud de Valle Alto", "government", "CO", "Servicios públicos de salud", "salud-vallealto.example.org"),
    Org("Centro Andino de Investigación en VIH", "university", "PE", "Investigación clínica", "caiv-andino.example.org"),
    Org("Laboratorio Pampa Biotech", "company", "AR", "Biotecnología", "pampa-biotech.example.org"),
    Org("Red Rioplatense de Personas con VIH", "ngo", "AR", "Incidencia comunitaria", "red-rioplatense.example.org"),
    Org("Asociación Quetzal Vida", "ngo", "GT", "Salud comunitaria", "quetzal-vida.example.org"),
    Org("Fundación Caribe Saludable", "ngo", "DO", "Prevención", "caribe-saludable.example.org"),
    Org("Fundación Ibérica para la Salud Global", "funder", "ES", "Filantropía", "fisg.example.org"),
    Org("Universidad del Mediterráneo Occidental", "university", "ES", "Investigación en salud global", "umo.example.org"),
    Org("Thameside Centre for Global Health Policy", "university", "GB", "Health policy", "thameside-cghp.example.org"),
    Org("Brightwater Health Economics Ltd", "company", "GB", "Health economics", "brightwater-he.example.org"),
    Org("Cascade Prevention Research Institute", "university", "US", "Prevention research", "cascade-pri.example.org"),
    Org("Northstar Philanthropies", "funder", "US", "Philanthropy", "northstar-phil.example.org"),
    Org("Helix Long-Acting Therapeutics Inc.", "company", "US", "Pharmaceutical development", "helix-lat.example.org"),
    Org("Maple Ridge Global Health Fund", "funder", "CA", "Philanthropy", "mapleridge-fund.example.org"),
    Org("Deccan Institute of Implementation Research", "university", "IN", "Implementation research", "deccan-iir.example.org"),
    Org("Saathi Community Health Network", "ngo", "IN", "Community health", "saathi-network.example.org"),
    Org("Chao Phraya Prevention Foundation", "ngo", "TH", "HIV prevention", "cpp-foundation.example.org"),
    Org("Andaman Health Data Co.", "company", "TH", "Data and analytics", "andaman-data.example.org"),
    Org("Instituto Ipê de Saúde Coletiva", "university", "BR", "Saúde coletiva", "ipe-saude.example.org"),
    Org("Polder Health Supply Partners", "company", "NL", "Supply chain", "polder-supply.example.org"),
    Org("Harbourlight Foundation", "funder", "AU", "Philanthropy", "harbourlight.example.org"),
]  # fmt: skip

CITIES: dict[str, list[str]] = {
    "KE": ["Nairobi", "Kisumu", "Mombasa"], "UG": ["Kampala", "Gulu", "Mbarara"],
    "TZ": ["Dar es Salaam", "Arusha"], "ZA": ["Johannesburg", "Durban", "Cape Town"],
    "ZW": ["Harare", "Bulawayo"], "ZM": ["Lusaka", "Ndola"], "MW": ["Lilongwe", "Zomba"],
    "NG": ["Lagos", "Port Harcourt", "Abuja"], "GH": ["Accra", "Kumasi"], "RW": ["Kigali"],
    "BW": ["Gaborone", "Francistown"], "ET": ["Addis Ababa"], "MZ": ["Maputo", "Beira"],
    "SN": ["Dakar", "Saint-Louis"], "CI": ["Abidjan", "Bouaké"], "CM": ["Douala", "Buea"],
    "CD": ["Kinshasa", "Goma"], "BF": ["Ouagadougou", "Bobo-Dioulasso"], "ML": ["Bamako"],
    "HT": ["Port-au-Prince"], "FR": ["Paris", "Lyon", "Marseille"], "BE": ["Antwerp", "Brussels"],
    "CH": ["Geneva", "Lausanne"], "MX": ["Mexico City", "Guadalajara"], "CO": ["Bogotá", "Medellín"],
    "PE": ["Lima", "Cusco"], "AR": ["Buenos Aires", "Rosario"], "GT": ["Guatemala City"],
    "DO": ["Santo Domingo"], "ES": ["Barcelona", "Madrid"], "GB": ["London", "Brighton"],
    "US": ["Seattle", "Boston", "Atlanta"], "CA": ["Toronto", "Vancouver"],
    "IN": ["Hyderabad", "Pune", "Chennai"], "TH": ["Bangkok", "Chiang Mai"],
    "BR": ["Rio de Janeiro", "São Paulo"], "NL": ["Amsterdam", "Utrecht"],
    "AU": ["Melbourne", "Sydney"],
}  # fmt: skip

# Which name pool and which writing language a country's people get.
REGION_BY_COUNTRY: dict[str, str] = {
    **dict.fromkeys(["KE", "UG", "TZ", "RW", "ET"], "east_africa"),
    **dict.fromkeys(["ZA", "ZW", "ZM", "MW", "BW", "MZ"], "southern_africa"),
    **dict.fromkeys(["NG", "GH"], "west_africa"),
    **dict.fromkeys(["SN", "CI", "CM", "CD", "BF", "ML", "HT"], "francophone_africa"),
    **dict.fromkeys(["FR", "BE", "CH"], "french_europe"),
    **dict.fromkeys(["MX", "CO", "PE", "AR", "GT", "DO", "ES"], "hispanic"),
    **dict.fromkeys(["GB", "US", "CA", "AU"], "anglo"),
    "IN": "south_asia",
    "TH": "thai",
    "BR": "brazil",
    "NL": "dutch",
}
WRITING_LANGUAGE = {"francophone_africa": "fr", "french_europe": "fr", "hispanic": "es"}
SPOKEN_LANGUAGES: dict[str, list[str]] = {
    "east_africa": ["en", "sw"], "southern_africa": ["en"], "west_africa": ["en"],
    "francophone_africa": ["fr"], "french_europe": ["fr", "en"], "hispanic": ["es"],
    "anglo": ["en"], "south_asia": ["en", "hi"], "thai": ["th", "en"],
    "brazil": ["pt", "en", "es"], "dutch": ["nl", "en"],
}  # fmt: skip

FIRST_NAMES: dict[str, list[str]] = {
    "east_africa": ["Amani", "Wanjiru", "Otieno", "Achieng", "Baraka", "Zawadi", "Nafula", "Kiprono",
                    "Auma", "Mugisha", "Nakato", "Tesfaye", "Selam", "Neema", "Juma", "Imani"],
    "southern_africa": ["Thandiwe", "Sipho", "Lerato", "Tendai", "Chipo", "Mulenga", "Chikondi",
                        "Tafadzwa", "Naledi", "Kagiso", "Lindiwe", "Themba", "Mpho", "Farai",
                        "Nomsa", "Neo"],
    "west_africa": ["Kwame", "Abena", "Efua", "Kofi", "Chidi", "Ngozi", "Adaeze", "Tunde", "Yaw",
                    "Akosua", "Emeka", "Funmilayo", "Ifeoma", "Kojo"],
    "francophone_africa": ["Aïssatou", "Moussa", "Fatou", "Ibrahima", "Mariam", "Awa", "Adama",
                           "Rokia", "Souleymane", "Koffi", "Yao", "Mireille", "Chantal", "Didier",
                           "Josué", "Ndèye", "Seydou", "Clarisse", "Nadège", "Fabrice"],
    "french_europe": ["Élodie", "Mathieu", "Hélène", "Julien", "Claire", "Antoine", "Camille",
                      "Lucas", "Margaux", "Thibault", "Sophie", "Nicolas", "Aurélie", "Baptiste"],
    "hispanic": ["Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Mariana", "Andrés",
                 "Paula", "Javier", "Carmen", "Alejandro", "Ximena", "Rodrigo", "Daniela", "Tomás",
                 "Gabriela", "Sebastián"],
    "anglo": ["Emily", "James", "Olivia", "Daniel", "Hannah", "Michael", "Rachel", "Thomas",
              "Laura", "Benjamin", "Chloe", "Samuel", "Megan", "Liam", "Grace", "Owen"],
    "south_asia": ["Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Meera", "Rohan",
                   "Lakshmi", "Aditya", "Sneha", "Karthik"],
    "thai": ["Somchai", "Siriporn", "Nattapong", "Kanya", "Anong", "Prasert", "Wanida", "Chaiwat"],
    "brazil": ["João", "Beatriz", "Rafael", "Larissa", "Thiago", "Fernanda", "Gustavo", "Juliana"],
    "dutch": ["Femke", "Lars", "Sanne", "Joris", "Anouk", "Bram"],
}  # fmt: skip

LAST_NAMES: dict[str, list[str]] = {
    "east_africa": ["Mwangi", "Odhiambo", "Kamau", "Njoroge", "Wekesa", "Chebet", "Okello",
                    "Namutebi", "Ssempala", "Mushi", "Kimaro", "Uwase", "Habimana", "Bekele",
                    "Tadesse", "Mutua"],
    "southern_africa": ["Dlamini", "Nkosi", "Moyo", "Banda", "Phiri", "Chanda", "Ndlovu", "Mokoena",
                        "Sithole", "Tembo", "Mwale", "Khumalo", "Masilo", "Gumede", "Chirwa"],
    "west_africa": ["Mensah", "Asante", "Boateng", "Owusu", "Okafor", "Adeyemi", "Eze", "Nwosu",
                    "Oladipo", "Agyeman", "Danso", "Okonkwo", "Bello", "Ogunleye"],
    "francophone_africa": ["Diallo", "Traoré", "Koné", "Ndiaye", "Sow", "Camara", "Kaboré",
                           "Ouédraogo", "Mbala", "Nkulu", "Kouassi", "Fofana", "Sylla", "Ngono",
                           "Tchamba", "Mbemba", "Sanogo", "Coulibaly", "Pierre-Louis"],
    "french_europe": ["Lefebvre", "Girard", "Moreau", "Bonnet", "Fontaine", "Rousseau", "Mercier",
                      "Lambert", "Vasseur", "Dubois", "Perrin", "Morel", "Janssens", "Favre"],
    "hispanic": ["García", "Rodríguez", "Hernández", "Quispe", "Mamani", "Morales", "Castillo",
                 "Vargas", "Ramírez", "Torres", "Flores", "Rojas", "Mendoza", "Gutiérrez",
                 "Ortega", "Salazar", "Navarro", "Peña"],
    "anglo": ["Thompson", "Walker", "Bennett", "Clarke", "Harrison", "Mitchell", "Hughes", "Palmer",
              "Ellis", "Fraser", "Gallagher", "Reid", "Sullivan", "Foster", "Whitaker", "Doyle"],
    "south_asia": ["Sharma", "Patel", "Iyer", "Nair", "Reddy", "Menon", "Rao", "Kulkarni",
                   "Banerjee", "Desai", "Pillai", "Joshi"],
    "thai": ["Srisuk", "Wongsawat", "Chaiyasit", "Boonmee", "Rattanakul", "Phromma", "Thongchai",
             "Saelim"],
    "brazil": ["Almeida", "Souza", "Carvalho", "Ribeiro", "Pereira", "Barbosa", "Teixeira",
               "Moreira"],
    "dutch": ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "van Dijk"],
}  # fmt: skip


class Topic(NamedTuple):
    en: str
    fr: str
    es: str
    weight: float  # how often people name it: common topics first, rare ones last
    fr_article: str = "la "
    es_article: str = "la "

    def tag(self, language: str) -> str:
        """The topic as a profile tag: no article."""
        return str(getattr(self, language if language in LANGS else "en"))

    def in_sentence(self, language: str) -> str:
        """The topic inside a sentence: French and Spanish want their article."""
        if language == "fr":
            return self.fr_article + self.fr
        if language == "es":
            return self.es_article + self.es
        return self.en


TOPICS: list[Topic] = [
    Topic("HIV prevention", "prévention du VIH", "prevención del VIH", 30),
    Topic("PrEP delivery", "prestation de la PrEP", "provisión de PrEP", 22),
    Topic("long-acting injectables", "injectables à longue durée d'action", "inyectables de acción prolongada", 20, "les ", "los "),
    Topic("implementation science", "science de la mise en œuvre", "ciencia de la implementación", 12),
    Topic("community engagement", "engagement communautaire", "participación comunitaria", 12, "l'"),
    Topic("adolescent girls and young women", "adolescentes et jeunes femmes", "adolescentes y mujeres jóvenes", 10, "les ", "las "),
    Topic("key populations", "populations clés", "poblaciones clave", 9, "les ", "las "),
    Topic("clinical trials", "essais cliniques", "ensayos clínicos", 8, "les ", "los "),
    Topic("differentiated service delivery", "prestation différenciée des services", "prestación diferenciada de servicios", 7),
    Topic("monitoring and evaluation", "suivi et évaluation", "monitoreo y evaluación", 7, "le ", "el "),
    Topic("health economics", "économie de la santé", "economía de la salud", 6, "l'"),
    Topic("regulatory science", "science réglementaire", "ciencia regulatoria", 5),
    Topic("supply chain", "chaîne d'approvisionnement", "cadena de suministro", 5),
    Topic("demand creation", "création de la demande", "generación de demanda", 5),
    Topic("policy advocacy", "plaidoyer politique", "incidencia política", 5, "le "),
    Topic("stigma reduction", "réduction de la stigmatisation", "reducción del estigma", 4),
    Topic("qualitative research", "recherche qualitative", "investigación cualitativa", 4),
    Topic("mathematical modelling", "modélisation mathématique", "modelización matemática", 3),
    Topic("health financing", "financement de la santé", "financiamiento de la salud", 3, "le ", "el "),
    Topic("market shaping", "façonnage du marché", "configuración del mercado", 3, "le "),
    Topic("pharmacy-based delivery", "dispensation en pharmacie", "dispensación en farmacias", 3),
    Topic("digital health", "santé numérique", "salud digital", 3),
    Topic("vaccine delivery", "distribution des vaccins", "distribución de vacunas", 3),
    Topic("cold chain logistics", "logistique de la chaîne du froid", "logística de cadena de frío", 2),
    Topic("pregnancy and breastfeeding", "grossesse et allaitement", "embarazo y lactancia", 2, "la ", "el "),
    Topic("pharmacovigilance", "pharmacovigilance", "farmacovigilancia", 0.4),
]  # fmt: skip

TITLES: dict[str, dict[str, list[str]]] = {
    "university": {
        "en": ["Research Fellow", "Senior Lecturer", "Principal Investigator", "Epidemiologist",
               "PhD Candidate", "Professor of Global Health", "Data Scientist"],
        "fr": ["Chargé de recherche", "Enseignante-chercheuse", "Investigateur principal",
               "Épidémiologiste", "Doctorante", "Professeur de santé mondiale"],
        "es": ["Investigadora asociada", "Profesor titular", "Investigador principal",
               "Epidemióloga", "Doctorando", "Científica de datos"],
    },
    "ngo": {
        "en": ["Programme Manager", "Community Engagement Lead", "Executive Director",
               "Advocacy Officer", "Peer Navigator Coordinator"],
        "fr": ["Responsable de programme", "Chargée de plaidoyer", "Directeur exécutif",
               "Coordinatrice communautaire", "Animateur pair"],
        "es": ["Gerente de programa", "Coordinadora comunitaria", "Director ejecutivo",
               "Oficial de incidencia", "Navegadora de pares"],
    },
    "company": {
        "en": ["Medical Affairs Director", "Market Access Manager", "Regulatory Affairs Specialist",
               "Supply Chain Analyst", "Product Manager"],
        "fr": ["Directrice des affaires médicales", "Responsable accès au marché",
               "Spécialiste des affaires réglementaires", "Analyste chaîne d'approvisionnement"],
        "es": ["Directora de asuntos médicos", "Gerente de acceso al mercado",
               "Especialista en asuntos regulatorios", "Analista de cadena de suministro"],
    },
    "government": {
        "en": ["Deputy Programme Director", "HIV Prevention Focal Point", "Pharmacist-in-Charge",
               "Health Policy Advisor"],
        "fr": ["Point focal prévention VIH", "Directeur adjoint du programme",
               "Conseillère en politiques de santé", "Pharmacien responsable"],
        "es": ["Punto focal de prevención del VIH", "Subdirectora de programa",
               "Asesor de políticas de salud", "Farmacéutica responsable"],
    },
    "funder": {
        "en": ["Program Officer", "Senior Program Officer", "Portfolio Lead", "Investment Analyst"],
        "fr": ["Chargé de programme", "Responsable de portefeuille", "Analyste des investissements"],
        "es": ["Oficial de programa", "Responsable de cartera", "Analista de inversiones"],
    },
}  # fmt: skip
TITLES["other"] = TITLES["ngo"]

# Slots: {title} {org} {city} {t1} {t2} {years}. French and Spanish slots {t1}/{t2} carry their
# article ("la prévention du VIH"), so the templates only use prepositions that do not contract.
BIOS: dict[str, list[str]] = {
    "en": [
        "{title} at {org} in {city}. I have worked on {t1} for {years} years and lately on {t2}.",
        "Based in {city}, I lead our work on {t1} at {org}. My current focus is {t2}.",
        "I came to {t1} from clinical practice {years} years ago. At {org} I now spend most of my "
        "time on {t2}, and I like comparing notes with people who do it differently.",
        "At {org} ({city}) I connect researchers and communities around {t1}. Ask me about {t2}.",
        "{years} years in global health, most of them on {t1}. As {title} at {org} I coordinate "
        "our portfolio on {t2}.",
    ],
    "fr": [
        "{title}, {org} ({city}). Je travaille depuis {years} ans sur {t1}, et depuis peu sur {t2}.",
        "Depuis {city}, je coordonne notre travail sur {t1}. Mon sujet du moment : {t2}.",
        "Après {years} ans de terrain, je travaille aujourd'hui sur {t1}. J'aimerais échanger "
        "avec d'autres équipes sur {t2}.",
        "Je fais le lien entre chercheurs et communautés sur {t1}, à {city}. Écrivez-moi pour "
        "parler de vos travaux sur {t2}.",
        "{years} ans en santé mondiale, surtout sur {t1}. {title}, {org} : je suis notre "
        "portefeuille sur {t2}.",
    ],
    "es": [
        "{title}, {org} ({city}). Trabajo desde hace {years} años en {t1} y recientemente en {t2}.",
        "Desde {city} coordino nuestro trabajo sobre {t1}. Mi prioridad actual: {t2}.",
        "Tras {years} años de trabajo de campo, hoy trabajo en {t1}. Me interesa intercambiar "
        "experiencias sobre {t2}.",
        "Conecto a investigadores y comunidades de {city} que trabajan en {t1}. Escríbanme para "
        "hablar sobre {t2}.",
        "{years} años en salud global, casi todos en {t1}. {title}, {org}: coordino nuestra "
        "cartera sobre {t2}.",
    ],
}

OFFERS: dict[str, list[str]] = {
    "en": [
        "Protocols and tools from our {t1} work; peer review of proposals on {t2}.",
        "Introductions to community partners in {city}; training on {t1}.",
        "Data and lessons learned from our {t1} pilot.",
        "Mentoring for early-career researchers working on {t2}.",
    ],
    "fr": [
        "Nos outils et protocoles sur {t1} ; relecture de propositions sur {t2}.",
        "Mise en relation avec des partenaires communautaires à {city} ; formation sur {t1}.",
        "Les données et les leçons de notre projet pilote sur {t1}.",
        "Du mentorat pour les jeunes chercheurs qui travaillent sur {t2}.",
    ],
    "es": [
        "Herramientas y protocolos de nuestro trabajo en {t1}; revisión de propuestas sobre {t2}.",
        "Contactos con socios comunitarios en {city}; capacitación sobre {t1}.",
        "Datos y lecciones aprendidas de nuestro piloto sobre {t1}.",
        "Mentoría para investigadores jóvenes que trabajan en {t2}.",
    ],
}

SEEKS: dict[str, list[str]] = {
    "en": [
        "Partners for a multi-country study on {t2}.",
        "Costing data on {t1} from other settings.",
        "Examples of {t2} that worked in primary care.",
        "A co-author for a review of {t1}.",
    ],
    "fr": [
        "Des partenaires pour une étude multi-pays sur {t2}.",
        "Des données de coût sur {t1} dans d'autres contextes.",
        "Des retours d'expérience sur {t2} en soins primaires.",
        "Une personne co-autrice pour une revue de littérature sur {t1}.",
    ],
    "es": [
        "Socios para un estudio multipaís sobre {t2}.",
        "Datos de costos sobre {t1} en otros contextos.",
        "Experiencias exitosas sobre {t2} en atención primaria.",
        "Una persona coautora para una revisión sobre {t1}.",
    ],
}

APPLICATION_MESSAGES: dict[str, str] = {
    "en": "I work on {t1} and would like to learn from the network's members.",
    "fr": "Je travaille sur {t1} et j'aimerais apprendre des membres du réseau.",
    "es": "Trabajo en {t1} y me gustaría aprender de los miembros de la red.",
}

# Invented place-like words for the generator's organization names: never a real place on purpose.
SYLLABLES = (
    ["Ka", "Mo", "Ti", "Na", "Lu", "Se", "Ba", "Ko", "Ra", "Zi", "Vo", "Pe", "Du", "Fe", "Ga", "Ho",
     "Ja", "Me", "No", "Sa"],
    ["lu", "ra", "me", "ko", "ni", "sa", "to", "be", "ya", "wo", "li", "ma", "do", "re", "gu", "ta",
     "vi", "ne", "pa", "zo"],
    ["mbe", "ro", "na", "ti", "la", "ssa", "ndo", "ka", "ri", "ve", "nu", "go", "dra", "le", "sho",
     "mi", "ta", "ze", "wa", "no"],
)  # fmt: skip

ORGANIZATION_FORMS: dict[str, list[tuple[str, str]]] = {
    "en": [("{p} Health Trust", "ngo"), ("{p} Institute of Public Health", "university"),
           ("{p} Community Alliance", "ngo"), ("{p} Prevention Research Centre", "university"),
           ("{p} Health Foundation", "funder"), ("{p} Pharmaceuticals Ltd", "company"),
           ("{p} District Health Office", "government"), ("{p} University", "university"),
           ("{p} Youth Network", "ngo"), ("{p} Health Analytics", "company")],
    "fr": [("Institut {p} de Santé Publique", "university"), ("Association {p} Prévention", "ngo"),
           ("Fondation {p} Santé", "funder"), ("Réseau Communautaire {p}", "ngo"),
           ("Laboratoires {p}", "company"), ("Direction Sanitaire de {p}", "government")],
    "es": [("Instituto {p} de Salud Pública", "university"), ("Fundación {p} Salud", "funder"),
           ("Asociación {p} Vida", "ngo"), ("Red Comunitaria {p}", "ngo"),
           ("Laboratorios {p}", "company"), ("Secretaría de Salud de {p}", "government")],
}  # fmt: skip


def writing_language(country: str) -> str:
    return WRITING_LANGUAGE.get(REGION_BY_COUNTRY.get(country, "anglo"), "en")
