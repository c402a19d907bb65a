#!/usr/bin/env python3
"""Generates Tiquete's demo directory data for the Tolima education secretariat.

Writes org_units.csv, groups.csv, services.csv, categories.csv, cis.csv and people.csv beside
this file (UTF-8, header row, RFC 4180 quoting, LF line endings). The output is deterministic
(fixed seed, no set iteration), so re-running it yields byte-identical files and the committed
CSVs are what deploy/up.sh loads; nothing at run time needs Python.

Every person, e-mail address, phone number and identity number is invented. Municipality names
and their DANE codes are real; school names are plausible, not a copy of the official register.

    python3 deploy/demo/generate.py          # rewrite the CSVs
    python3 deploy/demo/generate.py --check  # exit 1 if the committed CSVs are stale
"""

import csv
import io
import os
import random
import re
import sys
import unicodedata

SEED = 20260115
TARGET_PEOPLE = 2000
DEPARTMENT = "Tolima"
SED_DOMAIN = "sedtolima.gov.co"
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# The 45 non-certified municipalities of Tolima (Ibagué 73001 and Espinal 73268 are certified
# and run their own secretariats), with their DANE codes and roughly how many official
# educational institutions each has (bigger rural municipalities have more).
MUNICIPALITIES = [
    ("73024", "Alpujarra", 4), ("73026", "Alvarado", 5), ("73030", "Ambalema", 4),
    ("73043", "Anzoátegui", 6), ("73055", "Armero-Guayabal", 5), ("73067", "Ataco", 10),
    ("73124", "Cajamarca", 7), ("73148", "Carmen de Apicalá", 4), ("73152", "Casabianca", 4),
    ("73168", "Chaparral", 14), ("73200", "Coello", 5), ("73217", "Coyaima", 11),
    ("73226", "Cunday", 6), ("73236", "Dolores", 6), ("73270", "Falan", 4),
    ("73275", "Flandes", 6), ("73283", "Fresno", 9), ("73319", "Guamo", 8),
    ("73347", "Herveo", 5), ("73349", "Honda", 7), ("73352", "Icononzo", 6),
    ("73408", "Lérida", 6), ("73411", "Líbano", 11), ("73443", "Mariquita", 9),
    ("73449", "Melgar", 8), ("73461", "Murillo", 4), ("73483", "Natagaima", 9),
    ("73504", "Ortega", 11), ("73520", "Palocabildo", 4), ("73547", "Piedras", 4),
    ("73555", "Planadas", 13), ("73563", "Prado", 5), ("73585", "Purificación", 8),
    ("73616", "Rioblanco", 11), ("73622", "Roncesvalles", 4), ("73624", "Rovira", 9),
    ("73671", "Saldaña", 6), ("73675", "San Antonio", 7), ("73678", "San Luis", 7),
    ("73686", "Santa Isabel", 5), ("73770", "Suárez", 4), ("73854", "Valle de San Juan", 4),
    ("73861", "Venadillo", 6), ("73870", "Villahermosa", 6), ("73873", "Villarrica", 5),
]
# Municipalities with Pijao resguardos: their schools' staff carry Pijao surnames more often.
PIJAO_MUNICIPALITIES = ["Coyaima", "Natagaima", "Ortega", "Chaparral", "Ataco", "Planadas"]

SECRETARIAT = {
    "code": "SED-TOL",
    "name": "Secretaría de Educación y Cultura del Tolima",
    "address": "Carrera 3 entre calles 10 y 11, Edificio Gobernación del Tolima",
    "phone": "6082611111",
    "email": "contactenos@" + SED_DOMAIN,
}

# code suffix, name, mailbox, staff count, director title, other job titles
OFFICES = [
    ("DESP", "Despacho del Secretario de Educación y Cultura", "despacho", 10,
     "Secretario de Educación y Cultura|Secretaria de Educación y Cultura",
     ["Asesor del despacho|Asesora del despacho", "Secretario ejecutivo|Secretaria ejecutiva",
      "Profesional especializado", "Conductor"]),
    ("DAF", "Dirección Administrativa y Financiera", "financiera", 34,
     "Director Administrativo y Financiero|Directora Administrativa y Financiera",
     ["Profesional universitario", "Profesional especializado", "Técnico operativo",
      "Auxiliar administrativo", "Contador|Contadora", "Tesorero|Tesorera"]),
    ("CAL", "Dirección de Calidad Educativa", "calidad", 30,
     "Director de Calidad Educativa|Directora de Calidad Educativa",
     ["Profesional universitario", "Profesional especializado", "Líder de programa",
      "Técnico operativo"]),
    ("COB", "Dirección de Cobertura Educativa", "cobertura", 26,
     "Director de Cobertura Educativa|Directora de Cobertura Educativa",
     ["Profesional universitario", "Administrador SIMAT", "Técnico operativo",
      "Auxiliar administrativo", "Profesional de matrícula"]),
    ("TH", "Dirección de Talento Humano", "talentohumano", 44,
     "Director de Talento Humano|Directora de Talento Humano",
     ["Profesional universitario", "Profesional de nómina", "Técnico de hojas de vida",
      "Auxiliar administrativo", "Profesional especializado", "Técnico de prestaciones sociales"]),
    ("TIC", "Oficina de Tecnologías de la Información y las Comunicaciones", "tic", 5,
     "Jefe de la Oficina TIC|Jefa de la Oficina TIC",
     ["Profesional universitario", "Técnico de sistemas"]),
    ("SAC", "Oficina de Atención al Ciudadano", "atencionalciudadano", 18,
     "Coordinador de Atención al Ciudadano|Coordinadora de Atención al Ciudadano",
     ["Auxiliar de ventanilla", "Técnico operativo", "Profesional universitario"]),
    ("JUR", "Oficina Jurídica", "juridica", 15,
     "Jefe de la Oficina Jurídica|Jefa de la Oficina Jurídica",
     ["Abogado|Abogada", "Profesional especializado", "Auxiliar administrativo"]),
    ("IV", "Dirección de Inspección y Vigilancia", "inspeccionyvigilancia", 20,
     "Director de Inspección y Vigilancia|Directora de Inspección y Vigilancia",
     ["Profesional universitario", "Supervisor de educación|Supervisora de educación",
      "Técnico operativo"]),
    ("PLA", "Oficina de Planeación Educativa", "planeacion", 15,
     "Jefe de la Oficina de Planeación Educativa|Jefa de la Oficina de Planeación Educativa",
     ["Profesional universitario", "Profesional especializado", "Técnico de estadística"]),
]
TIC_CODE = "SED-TOL-TIC"

# Patrons and place names schools are named after, as is usual in Tolima.
SCHOOL_PATRONS = [
    "San Isidro", "Simón Bolívar", "Francisco de Paula Santander", "Antonio Nariño",
    "Policarpa Salavarrieta", "José Celestino Mutis", "Camilo Torres", "Jorge Eliécer Gaitán",
    "Manuel Murillo Toro", "Darío Echandía", "Nuestra Señora del Carmen",
    "Nuestra Señora de Fátima",
    "San Juan Bosco", "Santa Teresita", "Nuestra Señora del Rosario", "Inmaculada Concepción",
    "Luis Carlos Galán Sarmiento", "Gabriela Mistral", "Rafael Uribe Uribe", "Almirante Padilla",
    "San Vicente de Paúl", "Juan XXIII", "Pío XII", "Santo Domingo Savio", "Atanasio Girardot",
    "Alfonso López Pumarejo", "Miguel Antonio Caro", "Rufino José Cuervo",
    "Gonzalo Jiménez de Quesada",
    "La Sagrada Familia", "San José", "San Pedro", "Santa Bárbara", "San Rafael", "San Sebastián",
    "Santa Rosa de Lima", "María Auxiliadora", "Jesús María Buitrago", "Ismael Perdomo",
    "Alberto Castilla", "José Joaquín Flórez", "Marco Fidel Suárez", "Nicanor Velásquez",
    "Fray Luis de León", "Manuel Antonio Bonilla", "Fernando Villalobos Arango",
    "Ana Francisca Lara",
    "Benjamín Herrera", "Tulio Varón", "Cacique Yaguará", "Cacique Calarcá", "Pijao de Oro",
    "La Esperanza", "El Triunfo", "Los Andes", "La Aurora", "El Cairo", "La Profunda",
    "Santa Rita", "El Limón", "Puerto Saldaña", "Herrera", "Gaitania", "Bilbao", "La Marina",
    "Calarma", "Payandé", "Chicoral", "Mesa de Pole", "San Bernardo", "Dos Quebradas",
    "La Sierra", "El Convenio", "Monte Frío", "Ortega Anacarco", "Castilla", "Velú",
    "Doima", "Potrerito", "Totarito", "El Salado", "Guadualito", "Balsillas", "Bledo Alto",
    "Agua Blanca", "Palmar Trincadero", "San Luis Gonzaga", "Nuestra Señora de las Mercedes",
    "Normal Superior", "Santa Ana", "San Antonio de Padua", "La Presentación", "Kennedy",
    "Cooperativo", "Gustavo Uribe Ramírez", "Luis Flórez", "Hermano Bernardo", "Mariscal Sucre",
]
SCHOOL_KINDS = [
    ("Institución Educativa", 5), ("Institución Educativa Técnica", 3),
    ("Institución Educativa Técnica Agropecuaria", 2),
    ("Institución Educativa Técnica Comercial", 1),
]
VEREDAS = [
    "La Palmita", "El Silencio", "Buenos Aires", "La Florida", "El Porvenir", "Alto Bonito",
    "La Cristalina", "Las Brisas", "San Miguel", "El Diamante", "Piedra Grande", "La Ceiba",
    "El Guayabo", "Santa Helena", "La Holanda", "El Jardín", "Bellavista", "La Reforma",
    "El Paraíso", "Los Naranjos", "La Unión", "Campo Alegre", "El Tambo", "Guaduas",
]
BARRIOS = ["Centro", "El Carmen", "La Esperanza", "Las Ferias", "El Jardín", "San Martín",
           "Los Libertadores", "Villa Café", "La Pola", "Obrero", "El Triunfo", "Primero de Mayo"]

MALE = [
    "José", "Juan", "Carlos", "Luis", "Jorge", "Andrés", "Diego", "Jhon", "Fabián", "Óscar",
    "Hernán", "Álvaro", "Édgar", "Rubén", "Iván", "Julián", "Sebastián", "Camilo", "Mauricio",
    "Germán", "Héctor", "Fernando", "Ricardo", "Gustavo", "Wilson", "Nelson", "Alexánder",
    "Jesús", "Ramiro", "Orlando", "Henry", "Jaime", "Rodrigo", "Arley", "Yesid", "Duván", "Édison",
    "Néstor", "Víctor", "Martín", "Santiago", "Miguel", "Alejandro", "Felipe", "Manuel", "Gabriel",
    "Efraín", "Ancízar", "Libardo", "Reinaldo", "Hugo", "Gilberto", "Tomás", "Raúl", "Ramón",
    "William", "Jairo", "Heriberto", "Fredy", "Albeiro", "Norbey", "Uriel", "Helmer", "Adrián",
]
MALE_COMPOUND = ["Juan Carlos", "José Luis", "Luis Fernando", "Carlos Andrés", "Juan David",
                 "Jorge Eliécer", "José Manuel", "Luis Alberto", "Juan Pablo", "Miguel Ángel",
                 "Jhon Jairo", "Óscar Iván", "Carlos Arturo", "José Ignacio"]
FEMALE = [
    "María", "Luz", "Ana", "Martha", "Claudia", "Sandra", "Diana", "Paola", "Lina", "Carolina",
    "Andrea", "Natalia", "Ángela", "Mónica", "Gloria", "Patricia", "Yolanda", "Beatriz", "Liliana",
    "Adriana", "Marcela", "Johana", "Viviana", "Yenny", "Leidy", "Luisa", "Daniela", "Valentina",
    "Sofía", "Camila", "Inés", "Rocío", "Nidia", "Amparo", "Esperanza", "Consuelo", "Olga", "Nubia",
    "Stella", "Mercedes", "Dora", "Jimena", "Ximena", "Lucía", "Érika", "Yuli", "Marleny", "Fanny",
    "Alba", "Rosalba", "Doris", "Sonia", "Elsa", "Maritza", "Yaneth", "Edilma", "Nohora", "Mireya",
]
FEMALE_COMPOUND = ["María Fernanda", "Luz Marina", "Ana María", "María José", "Luz Dary",
                   "María del Pilar", "Ana Lucía", "Martha Cecilia", "Luz Stella", "María Eugenia",
                   "Diana Marcela", "Sandra Milena", "Yeni Paola", "Gloria Inés"]
SURNAMES = [
    "Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez",
    "Ramírez", "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Álvarez", "Romero",
    "Torres", "Vargas", "Castro", "Ortiz", "Ruiz", "Suárez", "Gutiérrez", "Herrera", "Peña",
    "Medina", "Aguirre", "Cardona", "Osorio", "Quintero", "Ospina", "Buitrago", "Lozano",
    "Bonilla", "Barragán", "Reyes", "Cortés", "Rincón", "Guzmán", "Marín", "Valencia", "Castaño",
    "Trujillo", "Velásquez", "Cárdenas", "Parra", "Montealegre", "Varón", "Oviedo", "Ramos",
    "Perdomo", "Tovar", "Cuéllar", "Yara", "Lugo", "Prada", "Bocanegra", "Ávila", "Ibáñez",
    "Núñez", "Patiño", "Beltrán", "Céspedes", "Arias", "Salazar", "Sierra", "Acosta", "Zambrano",
    "Betancourt", "Galindo", "Espinosa", "Polanía", "Cruz", "Leal", "Murcia", "Andrade", "Quiroga",
    "Carvajal", "Durán", "Rengifo", "Sáenz", "Caicedo", "Londoño", "Mejía", "Gaitán", "Rubio",
    "Villanueva", "Calderón", "Sandoval", "Arango", "Mendoza", "Orjuela", "Ángel", "Fierro",
]
PIJAO_SURNAMES = ["Tique", "Capera", "Poloche", "Ducuara", "Yate", "Culma", "Timote", "Aroca",
                  "Loaiza", "Oyola", "Guarnizo", "Lasso"]
MOBILE_PREFIXES = ["300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315",
                   "316", "317", "318", "319", "320", "321", "322", "323", "350", "351"]


def slug(text):
    """ASCII lower-case letters and digits only: 'Peña Álvarez' -> 'penaalvarez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ascii_only.lower())


class Generator:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.emails = {}
        self.national_ids = {}
        self.dane_codes = {}
        self.domains = {}
        self.school_names = {}

    # ---- people -------------------------------------------------------------------------
    def person_name(self, pijao=False):
        r = self.rng
        female = r.random() < 0.58  # the teaching workforce is mostly women
        if female:
            given = r.choice(FEMALE_COMPOUND) if r.random() < 0.3 else r.choice(FEMALE)
        else:
            given = r.choice(MALE_COMPOUND) if r.random() < 0.3 else r.choice(MALE)
        pool = PIJAO_SURNAMES if pijao and r.random() < 0.45 else SURNAMES
        first = r.choice(pool)
        second = r.choice(SURNAMES if r.random() < 0.7 else PIJAO_SURNAMES if pijao else SURNAMES)
        while second == first:
            second = r.choice(SURNAMES)
        return given, first + " " + second, female

    def email(self, given, family, domain):
        g = given.split()
        f = family.split()
        local_parts = [
            f"{slug(g[0])}.{slug(f[0])}",
            f"{slug(g[0])}.{slug(f[0])}{slug(f[1])[0]}",
            f"{slug(g[0])}{slug(g[1])[0] if len(g) > 1 else ''}.{slug(f[0])}",
            f"{slug(g[0])}.{slug(f[0])}.{slug(f[1])}",
        ]
        for local in local_parts:
            address = f"{local}@{domain}"
            if address not in self.emails:
                self.emails[address] = True
                return address
        n = 2
        while f"{local_parts[0]}{n}@{domain}" in self.emails:
            n += 1
        address = f"{local_parts[0]}{n}@{domain}"
        self.emails[address] = True
        return address

    def national_id(self, female):
        r = self.rng
        if r.random() < 0.08:
            return ""  # not everyone's cédula is on file
        while True:
            roll = r.random()
            if roll < 0.35:  # born after 1990s: 10-digit cédulas issued in Ibagué
                nid = str(r.randint(1110000000, 1110599999))
            elif female:
                nid = str(r.choice([65, 38, 28])) + f"{r.randint(0, 999999):06d}"
            else:
                nid = str(r.choice([93, 14, 5])) + f"{r.randint(0, 999999):06d}"
            if nid not in self.national_ids:
                self.national_ids[nid] = True
                return nid

    def mobile(self):
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 9999999):07d}"

    def person(self, org_unit, job_title, domain, roles="requester", groups="", pijao=False,
               name=None):
        given, family, female = name if name else self.person_name(pijao)
        if "|" in job_title:  # "Rector|Rectora": masculine and feminine forms
            job_title = job_title.split("|")[1 if female else 0]
        return {
            "email": self.email(given, family, domain),
            "given_name": given,
            "family_name": family,
            "phone": self.mobile(),
            "national_id": self.national_id(female),
            "org_unit_code": org_unit,
            "job_title": job_title,
            "roles": roles,
            "groups": groups,
            "_female": female,
        }

    # ---- organisation -------------------------------------------------------------------
    def dane_code(self, zone, municipality_code):
        """12-digit establishment code: zone digit (1 urban, 2 rural) + municipality + serial."""
        while True:
            code = f"{zone}{municipality_code}{self.rng.randint(1, 3999):06d}"
            if code not in self.dane_codes:
                self.dane_codes[code] = True
                return code

    def school_name(self, municipality, used_here):
        r = self.rng
        kinds = [k for k, w in SCHOOL_KINDS for _ in range(w)]
        for _ in range(200):
            patron = r.choice(SCHOOL_PATRONS)
            if patron in used_here:
                continue
            name = f"{r.choice(kinds)} {patron}"
            if name in self.school_names:
                continue
            used_here.append(patron)
            self.school_names[name] = True
            return name, patron
        raise RuntimeError(f"ran out of school names for {municipality}")

    def school_domain(self, patron, municipality):
        base = "ie" + slug(patron)[:18] + slug(municipality)[:10]
        domain, n = f"{base}.edu.co", 2
        while domain in self.domains:
            domain, n = f"{base}{n}.edu.co", n + 1
        self.domains[domain] = True
        return domain

    def urban_address(self):
        r = self.rng
        street = r.choice(["Calle", "Carrera"])
        return (f"{street} {r.randint(1, 15)} # {r.randint(1, 20)}-{r.randint(2, 90)}, "
                f"Barrio {r.choice(BARRIOS)}")

    def rural_address(self, municipality):
        r = self.rng
        return f"Vereda {r.choice(VEREDAS)}, zona rural de {municipality}"

    def landline(self):
        return "6082" + f"{self.rng.randint(400000, 899999):06d}"


def build():
    g = Generator()
    r = g.rng
    org_units, people = [], []

    def org(code, name, kind, parent, dane, municipality, address, phone, email):
        org_units.append({"code": code, "name": name, "kind": kind, "parent_code": parent,
                          "dane_code": dane, "municipality": municipality,
                          "department": DEPARTMENT, "address": address, "phone": phone,
                          "email": email})

    s = SECRETARIAT
    org(s["code"], s["name"], "secretariat", "", "", "Ibagué", s["address"], s["phone"],
        s["email"])
    for i, (suffix, name, mailbox, _, _, _) in enumerate(OFFICES):
        org(f"SED-TOL-{suffix}", name, "office", "SED-TOL", "", "Ibagué",
            f"{s['address']}, piso {9 + i // 4}", f"608261{1200 + i * 10:04d}",
            f"{mailbox}@{SED_DOMAIN}")

    # ---- the service desk's own staff (fixed names, so the demo script can cite them) ----
    def staff(name, female, unit, title, roles, groups, domain=SED_DOMAIN):
        p = g.person(unit, title, domain, roles, groups, name=(name[0], name[1], female))
        people.append(p)
        return p

    staff(("Laura Marcela", "Ospina Varón"), True, TIC_CODE, "Analista de mesa de servicios",
          "agent_l1", "MESA")
    staff(("Julián Andrés", "Tovar Rojas"), False, TIC_CODE, "Analista de mesa de servicios",
          "agent_l1", "MESA")
    staff(("Yeimy Paola", "Bocanegra Muñoz"), True, TIC_CODE, "Analista de mesa de servicios",
          "agent_l1", "MESA")
    staff(("Cristian Camilo", "Lozano Peña"), False, TIC_CODE, "Analista de mesa de servicios",
          "agent_l1", "MESA")
    staff(("Óscar Mauricio", "Guzmán Álvarez"), False, TIC_CODE,
          "Especialista de infraestructura y redes", "specialist_l2", "ESPEC")
    staff(("Diana Carolina", "Perdomo Cárdenas"), True, TIC_CODE,
          "Especialista de sistemas de información", "specialist_l2", "ESPEC")
    staff(("Héctor Fabio", "Montealegre Suárez"), False, TIC_CODE,
          "Especialista de bases de datos", "specialist_l2", "ESPEC")
    staff(("Ángela María", "Barragán Ortiz"), True, TIC_CODE,
          "Coordinadora de la Mesa de Servicios",
          "coordinator;incident_manager;problem_manager;request_manager;reporting_viewer", "COORD")
    staff(("Mauricio", "Yara Céspedes"), False, TIC_CODE,
          "Oficial de seguridad de la información", "security_officer", "SGSI")
    staff(("Jorge Iván", "Oviedo Lugo"), False, TIC_CODE, "Administrador de plataformas",
          "admin", "")
    conect_domain = "conectatolima.com.co"
    staff(("Wilson Arley", "Castaño Ramos"), False, TIC_CODE,
          "Ingeniero de soporte en campo (Conecta Tolima S.A.S.)", "provider", "PROV-CONECT",
          conect_domain)
    staff(("Nidia Johana", "Quintero Leal"), True, TIC_CODE,
          "Ingeniera NOC (Conecta Tolima S.A.S.)", "provider", "PROV-CONECT", conect_domain)
    staff(("Fredy Alexánder", "Rengifo Cruz"), False, TIC_CODE,
          "Técnico de conectividad rural (Conecta Tolima S.A.S.)", "provider", "PROV-CONECT",
          conect_domain)
    soft_domain = "solucioneseducativas.com.co"
    staff(("Sandra Milena", "Galindo Ávila"), True, TIC_CODE,
          "Consultora funcional SIMAT (Soluciones Educativas Integrales S.A.S.)", "provider",
          "PROV-SOFT", soft_domain)
    staff(("Juan Sebastián", "Sáenz Ibáñez"), False, TIC_CODE,
          "Desarrollador Humano (Soluciones Educativas Integrales S.A.S.)", "provider",
          "PROV-SOFT", soft_domain)

    # ---- secretariat staff --------------------------------------------------------------
    for suffix, _, _, count, director, titles in OFFICES:
        unit = f"SED-TOL-{suffix}"
        people.append(g.person(unit, director, SED_DOMAIN))
        for _ in range(count - 1):
            people.append(g.person(unit, r.choice(titles), SED_DOMAIN))

    # ---- schools and campuses -----------------------------------------------------------
    schools = []  # (code, domain, municipality, campus codes)
    for mun_code, municipality, count in MUNICIPALITIES:
        used_here = []
        for i in range(count):
            rural = i > 0 and r.random() < 0.55  # the first one sits in the town centre
            dane = g.dane_code(2 if rural else 1, mun_code)
            name, patron = g.school_name(municipality, used_here)
            domain = g.school_domain(patron, municipality)
            code = f"IE-{dane}"
            address = g.rural_address(municipality) if rural else g.urban_address()
            org(code, name, "school", "SED-TOL", dane, municipality, address, g.landline(),
                f"rectoria@{domain}")
            campuses = []
            if r.random() < 0.07:
                short = name.replace("Institución Educativa", "IE")
                for n in range(r.choice([1, 1, 2])):
                    vereda = r.choice(VEREDAS)
                    ccode = f"{code}-S{n + 2:02d}"
                    org(ccode, f"{short} – Sede {vereda}", "campus", code,
                        g.dane_code(2, mun_code), municipality,
                        f"Vereda {vereda}, zona rural de {municipality}", "", "")
                    campuses.append(ccode)
            schools.append((code, domain, municipality, campuses))

    school_people = []
    for code, domain, municipality, campuses in schools:
        pijao = municipality in PIJAO_MUNICIPALITIES
        school_people.append(g.person(code, "Rector|Rectora", domain, pijao=pijao))
        school_people.append(g.person(code, "Secretario académico|Secretaria académica", domain,
                                      pijao=pijao))
        for _ in range(r.choice([0, 1, 1, 2])):
            school_people.append(g.person(code, "Coordinador académico|Coordinadora académica",
                                          domain, pijao=pijao))
        for campus in campuses:
            school_people.append(g.person(
                campus, "Docente director de sede|Docente directora de sede", domain,
                pijao=pijao))
    # Teachers and clerks fill the rest, spread over the schools.
    while len(people) + len(school_people) < TARGET_PEOPLE:
        code, domain, municipality, _ = r.choice(schools)
        title = r.choice(["Docente de aula"] * 14 + ["Docente orientador|Docente orientadora"] * 2
                         + ["Auxiliar administrativo"] * 2
                         + ["Bibliotecario|Bibliotecaria", "Pagador|Pagadora"])
        school_people.append(g.person(code, title, domain,
                                      pijao=municipality in PIJAO_MUNICIPALITIES))
    people.extend(school_people)
    assert len(people) == TARGET_PEOPLE, len(people)
    for p in people:
        del p["_female"]
    return org_units, people


GROUPS = [
    ("MESA", "Mesa de Servicios", "L1", "support", "", "mesadeservicios@" + SED_DOMAIN),
    ("ESPEC", "Especialistas TIC", "L2", "support", "", "especialistas.tic@" + SED_DOMAIN),
    ("PROV-CONECT", "Conecta Tolima S.A.S. (conectividad de sedes educativas)", "L3", "provider",
     "Contrato 0456-2026", "soporte@conectatolima.com.co"),
    ("PROV-SOFT", "Soluciones Educativas Integrales S.A.S. (SIMAT y Humano)", "L3", "provider",
     "Contrato 0789-2026", "mesa@solucioneseducativas.com.co"),
    ("COORD", "Coordinación Mesa de Servicios", "L2", "management", "",
     "coordinacion.mesa@" + SED_DOMAIN),
    ("SGSI", "Seguridad de la Información", "L2", "security", "", "sgsi@" + SED_DOMAIN),
]

SERVICES = [
    ("SIMAT", "SIMAT – Sistema Integrado de Matrícula",
     "Matrícula, traslados y retiros de estudiantes de las sedes educativas; plataforma del "
     "Ministerio de Educación Nacional con soporte del proveedor.", "ESPEC", "high"),
    ("HUMANO", "Humano – Gestión de talento humano y nómina",
     "Hojas de vida, novedades, nómina y certificados del personal docente, directivo y "
     "administrativo.", "ESPEC", "high"),
    ("SAC", "SAC – Sistema de Atención al Ciudadano",
     "Radicación y seguimiento de peticiones, quejas, reclamos y sugerencias (PQRS).", "ESPEC",
     "medium"),
    ("CORREO", "Correo institucional",
     "Buzones @sedtolima.gov.co y de las instituciones educativas, listas y grupos.", "ESPEC",
     "high"),
    ("RED", "Red e Internet",
     "Red local de la Secretaría, Wi-Fi y conectividad de las sedes educativas (contratada).",
     "ESPEC", "high"),
    ("EQUIPOS", "Equipos de cómputo e impresoras",
     "Computadores, impresoras, escáneres y equipos audiovisuales de la Secretaría.", "MESA",
     "medium"),
    ("SITIO-WEB", "Sitio web institucional",
     'Portal "sedtolima.gov.co": noticias, convocatorias, trámites y transparencia.', "ESPEC",
     "low"),
    ("SIGCE", "SIGCE – Gestión de la Calidad Educativa",
     "Planes de mejoramiento, PMI y seguimiento a la calidad; plataforma del Ministerio.",
     "ESPEC", "medium"),
    ("CUENTAS", "Cuentas de usuario y directorio",
     "Creación, cambios y retiro de cuentas de usuario; directorio activo.", "ESPEC", "high"),
    ("INFRA", "Infraestructura del centro de datos",
     "Servidores, virtualización, almacenamiento y copias de seguridad.", "ESPEC", "high"),
]

# path, default group, security, description
CATEGORIES = [
    ("Software", "ESPEC", False, "Sistemas de información y aplicaciones"),
    ("Software > SIMAT", "ESPEC", False, "Sistema Integrado de Matrícula"),
    ("Software > SIMAT > Acceso y contraseñas", "MESA", False,
     "Usuario bloqueado, contraseña olvidada, perfil de acceso"),
    ("Software > SIMAT > Matrícula", "ESPEC", False, "Registro y actualización de matrícula"),
    ("Software > SIMAT > Traslados y retiros", "ESPEC", False,
     "Traslados entre instituciones, retiros y novedades"),
    ("Software > SIMAT > Reportes y anexos", "ESPEC", False,
     "Anexos 6A/6B y reportes de matrícula"),
    ("Software > SIMAT > Falla de la plataforma", "PROV-SOFT", False,
     "Errores o caída del aplicativo"),
    ("Software > Humano", "ESPEC", False, "Gestión de talento humano y nómina"),
    ("Software > Humano > Acceso y contraseñas", "MESA", False, "Acceso al aplicativo Humano"),
    ("Software > Humano > Nómina", "PROV-SOFT", False, "Liquidación, descuentos y desprendibles"),
    ("Software > Humano > Hoja de vida y novedades", "ESPEC", False,
     "Actualización de hoja de vida, novedades administrativas"),
    ("Software > Humano > Certificados laborales", "MESA", False,
     "Generación de certificados laborales y de salarios"),
    ("Software > SAC", "ESPEC", False, "Sistema de Atención al Ciudadano"),
    ("Software > SAC > Radicación de PQRS", "MESA", False, "Errores al radicar o tramitar PQRS"),
    ("Software > SAC > Acceso y contraseñas", "MESA", False, "Acceso al aplicativo SAC"),
    ("Software > SIGCE", "ESPEC", False, "Gestión de la calidad educativa"),
    ("Software > Ofimática", "MESA", False, "Procesador de texto, hojas de cálculo, PDF"),
    ("Software > Instalación de software", "MESA", False,
     "Instalación o actualización de programas autorizados"),
    ("Correo institucional", "MESA", False, "Buzones de correo @sedtolima.gov.co"),
    ("Correo institucional > Acceso y contraseñas", "MESA", False,
     "Contraseña olvidada, cuenta bloqueada, verificación en dos pasos"),
    ("Correo institucional > Buzón lleno", "MESA", False, "Cuota de almacenamiento agotada"),
    ("Correo institucional > No envía o no recibe", "ESPEC", False,
     "Mensajes rechazados, retenidos o que no llegan"),
    ("Correo institucional > Listas y grupos", "ESPEC", False, "Listas de distribución y grupos"),
    ("Red e Internet", "MESA", False, "Conectividad de la Secretaría y de las sedes"),
    ("Red e Internet > Sin conexión", "PROV-CONECT", False, "Sede o puesto sin Internet"),
    ("Red e Internet > Lentitud", "PROV-CONECT", False, "Navegación lenta o intermitente"),
    ("Red e Internet > Wi-Fi", "ESPEC", False, "Red inalámbrica de la Secretaría"),
    ("Red e Internet > VPN", "ESPEC", False, "Acceso remoto a los sistemas"),
    ("Hardware", "MESA", False, "Equipos físicos"),
    ("Hardware > Computadores", "MESA", False, "Equipos de escritorio y portátiles"),
    ("Hardware > Impresoras", "MESA", False, "Impresión, atascos, tóner"),
    ("Hardware > Escáneres", "MESA", False, "Digitalización de documentos"),
    ("Hardware > Proyectores y audiovisuales", "MESA", False, "Video beam, sonido, cámaras"),
    ("Seguridad", "SGSI", True, "Posibles incidentes de seguridad de la información"),
    ("Seguridad > Phishing", "SGSI", True, "Correos fraudulentos, suplantación"),
    ("Seguridad > Malware", "SGSI", True, "Virus, ransomware, comportamiento sospechoso"),
    ("Seguridad > Acceso no autorizado", "SGSI", True, "Uso indebido de cuentas o permisos"),
    ("Seguridad > Fuga de información", "SGSI", True,
     "Divulgación de datos personales o reservados"),
    ("Seguridad > Pérdida o robo de equipo", "SGSI", True, "Equipos o medios extraviados"),
    ("Solicitudes", "MESA", False, "Solicitudes de servicio del catálogo"),
    ("Solicitudes > Creación de usuario", "MESA", False,
     "Cuenta nueva en correo, SIMAT, Humano o SAC"),
    ("Solicitudes > Desactivación de usuario", "MESA", False, "Retiro o traslado de funcionario"),
    ("Solicitudes > Cambio de permisos", "ESPEC", False, "Ampliar o restringir perfiles de acceso"),
    ("Solicitudes > Préstamo de equipos", "MESA", False, "Portátiles, video beam para eventos"),
    ("Solicitudes > Publicación en sitio web", "ESPEC", False,
     "Publicar o actualizar contenidos del portal"),
    ("Sitio web", "ESPEC", False, "Portal institucional"),
    ("Sitio web > Sitio no disponible", "ESPEC", False, "El portal no carga o muestra errores"),
    ("Sitio web > Contenido desactualizado", "ESPEC", False, "Información errada o vencida"),
]

# code, name, type, service, owner group, criticality, relations (earlier CIs only)
CIS = [
    ("LINK-ISP-PRINC", "Canal de Internet principal Gobernación (300 Mbps)", "link", "RED",
     "PROV-CONECT", "high", ""),
    ("LINK-ISP-RESP", "Canal de Internet de respaldo (100 Mbps)", "link", "RED", "PROV-CONECT",
     "high", ""),
    ("FW-PERIM-01", "Firewall perimetral", "network_device", "RED", "SGSI", "high",
     "connected_to:LINK-ISP-PRINC;connected_to:LINK-ISP-RESP"),
    ("SW-CORE-01", "Switch de núcleo del centro de datos", "network_device", "RED", "ESPEC",
     "high", "connected_to:FW-PERIM-01"),
    ("SW-ACC-TIC", "Switch de acceso Oficina TIC", "network_device", "RED", "ESPEC", "medium",
     "connected_to:SW-CORE-01"),
    ("SW-ACC-SAC", "Switch de acceso Atención al Ciudadano", "network_device", "RED", "ESPEC",
     "medium", "connected_to:SW-CORE-01"),
    ("SW-ACC-TH", "Switch de acceso Talento Humano", "network_device", "RED", "ESPEC", "medium",
     "connected_to:SW-CORE-01"),
    ("WIFI-CTRL-01", "Controlador de red inalámbrica", "network_device", "RED", "ESPEC", "low",
     "connected_to:SW-CORE-01"),
    ("LINK-ZONA-NORTE", "Conectividad sedes zona norte (Líbano, Mariquita, Honda, Fresno)",
     "link", "RED", "PROV-CONECT", "high", ""),
    ("LINK-ZONA-SUR", "Conectividad sedes zona sur (Chaparral, Planadas, Rioblanco, Ataco)",
     "link", "RED", "PROV-CONECT", "high", ""),
    ("LINK-ZONA-ORIENTE", "Conectividad sedes zona oriente (Melgar, Icononzo, Cunday, Prado)",
     "link", "RED", "PROV-CONECT", "medium", ""),
    ("LINK-ZONA-CENTRO", "Conectividad sedes zona centro (Guamo, Saldaña, Coyaima, Natagaima)",
     "link", "RED", "PROV-CONECT", "medium", ""),
    ("SRV-VIRT-01", "Servidor de virtualización 01", "server", "INFRA", "ESPEC", "high",
     "connected_to:SW-CORE-01"),
    ("SRV-VIRT-02", "Servidor de virtualización 02", "server", "INFRA", "ESPEC", "high",
     "connected_to:SW-CORE-01"),
    ("PLAT-VIRT", "Plataforma de virtualización (clúster)", "platform", "INFRA", "ESPEC", "high",
     "runs_on:SRV-VIRT-01;runs_on:SRV-VIRT-02"),
    ("SRV-DC-01", "Controlador de dominio", "server", "CUENTAS", "ESPEC", "high",
     "runs_on:PLAT-VIRT"),
    ("APP-DIRECTORIO", "Directorio activo", "application", "CUENTAS", "ESPEC", "high",
     "runs_on:SRV-DC-01"),
    ("SRV-ARCHIVOS", "Servidor de archivos", "server", "INFRA", "ESPEC", "medium",
     "runs_on:PLAT-VIRT;depends_on:APP-DIRECTORIO"),
    ("SRV-BACKUP", "Servidor de copias de seguridad", "server", "INFRA", "ESPEC", "high",
     "connected_to:SW-CORE-01"),
    ("SRV-DB-HUMANO", "Servidor de base de datos Humano", "server", "HUMANO", "ESPEC", "high",
     "runs_on:PLAT-VIRT"),
    ("DB-HUMANO", "Base de datos Humano", "database", "HUMANO", "PROV-SOFT", "high",
     "runs_on:SRV-DB-HUMANO"),
    ("SRV-APP-HUMANO", "Servidor de aplicaciones Humano", "server", "HUMANO", "ESPEC", "high",
     "runs_on:PLAT-VIRT"),
    ("APP-HUMANO", "Humano en línea (talento humano y nómina)", "application", "HUMANO",
     "PROV-SOFT", "high", "runs_on:SRV-APP-HUMANO;depends_on:DB-HUMANO"),
    ("SRV-DB-SIMAT", "Servidor de base de datos SIMAT (nube del proveedor)", "server", "SIMAT",
     "PROV-SOFT", "high", ""),
    ("DB-SIMAT", "Base de datos SIMAT", "database", "SIMAT", "PROV-SOFT", "high",
     "runs_on:SRV-DB-SIMAT"),
    ("SRV-APP-SIMAT-01", "Servidor de aplicaciones SIMAT 01", "server", "SIMAT", "PROV-SOFT",
     "high", ""),
    ("SRV-APP-SIMAT-02", "Servidor de aplicaciones SIMAT 02", "server", "SIMAT", "PROV-SOFT",
     "high", ""),
    ("APP-SIMAT", "SIMAT – Sistema Integrado de Matrícula", "application", "SIMAT", "PROV-SOFT",
     "high",
     "runs_on:SRV-APP-SIMAT-01;runs_on:SRV-APP-SIMAT-02;depends_on:DB-SIMAT;"
     "depends_on:LINK-ISP-PRINC"),
    ("SRV-SAC", "Servidor de aplicaciones y base de datos SAC", "server", "SAC", "ESPEC",
     "medium", "runs_on:PLAT-VIRT"),
    ("DB-SAC", "Base de datos SAC", "database", "SAC", "ESPEC", "medium", "runs_on:SRV-SAC"),
    ("APP-SAC", "SAC – Sistema de Atención al Ciudadano", "application", "SAC", "ESPEC", "medium",
     "runs_on:SRV-SAC;depends_on:DB-SAC"),
    ("PLAT-CORREO", "Plataforma de correo institucional en la nube", "email_service", "CORREO",
     "ESPEC", "high", "depends_on:LINK-ISP-PRINC;depends_on:APP-DIRECTORIO"),
    ("PLAT-SIGCE", "SIGCE (plataforma del Ministerio de Educación)", "platform", "SIGCE", "ESPEC",
     "medium", "depends_on:LINK-ISP-PRINC"),
    ("SRV-WEB-01", "Servidor web del portal institucional", "server", "SITIO-WEB", "ESPEC", "low",
     "runs_on:PLAT-VIRT"),
    ("DB-WEB", "Base de datos del portal institucional", "database", "SITIO-WEB", "ESPEC", "low",
     "runs_on:SRV-WEB-01"),
    ("APP-SITIO-WEB", "Portal sedtolima.gov.co", "application", "SITIO-WEB", "ESPEC", "low",
     "runs_on:SRV-WEB-01;depends_on:DB-WEB;depends_on:FW-PERIM-01"),
    ("PRN-TIC-01", "Impresora multifuncional Oficina TIC", "printer", "EQUIPOS", "MESA", "low",
     "connected_to:SW-ACC-TIC"),
    ("PRN-SAC-01", "Impresora de ventanilla Atención al Ciudadano", "printer", "EQUIPOS", "MESA",
     "medium", "connected_to:SW-ACC-SAC"),
    ("PRN-TH-01", "Impresora multifuncional Talento Humano", "printer", "EQUIPOS", "MESA", "low",
     "connected_to:SW-ACC-TH"),
    ("PRN-DESP-01", "Impresora del Despacho", "printer", "EQUIPOS", "MESA", "medium",
     "connected_to:SW-CORE-01"),
    ("WS-MESA-01", "Estación de trabajo Mesa de Servicios 01", "workstation", "EQUIPOS", "MESA",
     "medium", "connected_to:SW-ACC-TIC"),
    ("WS-MESA-02", "Estación de trabajo Mesa de Servicios 02", "workstation", "EQUIPOS", "MESA",
     "medium", "connected_to:SW-ACC-TIC"),
    ("WS-MESA-03", "Estación de trabajo Mesa de Servicios 03", "workstation", "EQUIPOS", "MESA",
     "medium", "connected_to:SW-ACC-TIC"),
    ("WS-MESA-04", "Estación de trabajo Mesa de Servicios 04", "workstation", "EQUIPOS", "MESA",
     "medium", "connected_to:SW-ACC-TIC"),
    ("WS-SAC-01", "Estación de ventanilla Atención al Ciudadano 01", "workstation", "EQUIPOS",
     "MESA", "medium", "connected_to:SW-ACC-SAC;depends_on:APP-SAC"),
    ("WS-SAC-02", "Estación de ventanilla Atención al Ciudadano 02", "workstation", "EQUIPOS",
     "MESA", "medium", "connected_to:SW-ACC-SAC;depends_on:APP-SAC"),
]


def check_integrity(org_units, people):
    """The invariants the directory import relies on; fails loudly if the tables drift."""
    codes = [o["code"] for o in org_units]
    assert len(codes) == len(set(codes)), "duplicate org unit code"
    seen = set()
    for o in org_units:
        assert o["parent_code"] == "" or o["parent_code"] in seen, o["code"]
        seen.add(o["code"])
    dane = [o["dane_code"] for o in org_units if o["dane_code"]]
    assert len(dane) == len(set(dane)) and all(len(d) == 12 and d.isdigit() for d in dane)
    group_codes = [g[0] for g in GROUPS]
    service_codes = [s[0] for s in SERVICES]
    assert all(s[3] in group_codes for s in SERVICES)
    paths = []
    for path, group, _, _ in CATEGORIES:
        assert group in group_codes, path
        parent = path.rsplit(" > ", 1)[0] if " > " in path else None
        assert parent is None or parent in paths, path
        paths.append(path)
    ci_codes = []
    for code, _, ci_type, service, group, _, relations in CIS:
        assert service in service_codes and group in group_codes, code
        for rel in filter(None, relations.split(";")):
            kind, target = rel.split(":")
            assert kind in ("depends_on", "runs_on", "connected_to"), rel
            assert target in ci_codes, f"{code} refers to later or unknown CI {target}"
        ci_codes.append(code)
    emails = [p["email"] for p in people]
    assert len(emails) == len(set(emails)), "duplicate e-mail"
    ids = [p["national_id"] for p in people if p["national_id"]]
    assert len(ids) == len(set(ids)), "duplicate national id"
    for p in people:
        assert p["org_unit_code"] in seen, p["email"]
        for grp in filter(None, p["groups"].split(";")):
            assert grp in group_codes, p["email"]


def render(header, rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


def main():
    org_units, people = build()
    check_integrity(org_units, people)
    files = {
        "org_units.csv": render(
            ["code", "name", "kind", "parent_code", "dane_code", "municipality", "department",
             "address", "phone", "email"],
            [[o[k] for k in ("code", "name", "kind", "parent_code", "dane_code", "municipality",
                             "department", "address", "phone", "email")] for o in org_units]),
        "groups.csv": render(["code", "name", "level", "kind", "contract_reference", "email"],
                             GROUPS),
        "services.csv": render(["code", "name", "description", "owner_group_code", "criticality"],
                               SERVICES),
        "categories.csv": render(
            ["path", "default_group_code", "security", "description"],
            [[p, g, "true" if s else "false", d] for p, g, s, d in CATEGORIES]),
        "cis.csv": render(["code", "name", "type", "service_code", "owner_group_code",
                           "criticality", "relations"], CIS),
        "people.csv": render(
            ["email", "given_name", "family_name", "phone", "national_id", "org_unit_code",
             "job_title", "roles", "groups"],
            [[p[k] for k in ("email", "given_name", "family_name", "phone", "national_id",
                             "org_unit_code", "job_title", "roles", "groups")] for p in people]),
    }
    check = "--check" in sys.argv[1:]
    stale = []
    for name, text in files.items():
        path = os.path.join(OUT_DIR, name)
        if check:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    if stale:
        print("stale demo CSVs (run deploy/demo/generate.py): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    if not check:
        counts = {n: t.count("\n") - 1 for n, t in files.items()}
        print("wrote " + ", ".join(f"{n} ({c} rows)" for n, c in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
