#!/usr/bin/env python3
"""Regenerate examples/customers.csv.

The file is the bundled example customer export of a fictitious Dutch company
(home country NL) that sells car parts and workshop services: 1,000 customers
from NL, BE, DE, DK, GB and US, sold to through a webshop, shop tills (POS),
by hand, via imports and via an ERP API.

Usage (from anywhere):

    python3 scripts/gen-examples.py

The output is fully deterministic: every random choice comes from one
``random.Random(20261123)``, so re-running the script reproduces the file
byte for byte.  Only the Python 3.11 standard library is used.

File format: UTF-8 without BOM, ``;`` as separator, ``\\n`` line endings,
minimal quoting, a header row, and an empty field meaning "no value".

All people and companies are invented.  VAT numbers carry valid check digits
for their country's scheme and GLNs carry a valid GS1 check digit, but none of
them is meant to belong to a real business.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

SEED = 20261123
OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "customers.csv"

HEADER = [
    "id", "name", "attention",
    "email", "email_quote", "email_order", "email_invoice",
    "email_credit_note", "email_statement",
    "street", "postcode", "city", "country",
    "delivery_street", "delivery_postcode", "delivery_city", "delivery_country",
    "phone", "phone2", "mobile", "fax",
    "vat_number", "ean", "currency", "vat_zone", "payment_terms", "credit_limit",
    "channel", "connector",
    "sector", "subsector", "company_size", "business_type", "source",
    "class1", "class2", "class3", "class4", "class5", "class6", "class7", "class8",
    "type", "group", "price_group",
    "receivables_account", "revenue_account",
    "created_at", "anonymised",
    "attr.turnover_12m", "attr.orders_12m",
]

FIRST_ID = 10001
N_CUSTOMERS = 1000

# --------------------------------------------------------------------------
# Customer mix
# --------------------------------------------------------------------------

# Exact number of customers per (billing country, channel).  Rows sum to the
# country shares (NL 40 %, BE 12 %, DE 18 %, DK 12 %, GB 10 %, US 8 %) and
# columns to the channel shares (webshop 45 %, pos 25 %, manual 15 %,
# import 10 %, api 5 %).  Shop tills are in the Netherlands, so POS customers
# are mostly Dutch or from just across the Belgian/German border.
QUOTA = {
    #      webshop  pos  manual  import  api
    "NL": (131,     172, 50,     33,     14),
    "BE": (54,      30,  18,     12,     6),
    "DE": (90,      36,  27,     18,     9),
    "DK": (71,      7,   21,     14,     7),
    "GB": (60,      3,   18,     12,     7),
    "US": (44,      2,   16,     11,     7),
}
CHANNELS = ("webshop", "pos", "manual", "import", "api")

# Probability that a customer is a business, per channel (about 35 % overall).
B2B_SHARE = {"webshop": 0.22, "pos": 0.10, "manual": 0.70, "import": 0.75, "api": 0.90}

WEBSHOP_CONNECTORS = (("shopify", 50), ("woocommerce", 35), ("magento", 15))
IMPORT_CONNECTORS = (("exact-online", 60), ("csv", 40))

SECTORS = (("automotive", 45), ("trade", 20), ("construction", 15),
           ("public", 8), ("hospitality", 12))
COMPANY_SIZES = ("1-9", "10-49", "50-249", "250+")
SIZE_WEIGHTS = {
    "automotive": (55, 30, 12, 3),
    "trade": (40, 35, 18, 7),
    "construction": (45, 35, 15, 5),
    "public": (0, 5, 35, 60),
    "hospitality": (50, 35, 12, 3),
}
SOURCES_B2B = (("referral", 35), ("google", 30), ("fair", 20), ("newsletter", 10),
               ("marketplace", 5))
SOURCES_B2C = (("google", 40), ("marketplace", 30), ("newsletter", 15),
               ("referral", 12), ("fair", 3))

# created_at: customers per year rise towards recent years (2026 runs to 31 Oct).
YEAR_WEIGHTS = ((2019, 6), (2020, 8), (2021, 10), (2022, 12), (2023, 14),
                (2024, 16), (2025, 18), (2026, 16))
LAST_DAY = dt.date(2026, 10, 31)
BREXIT = dt.date(2021, 1, 1)

# Credit limit ladders per currency, indexed by size class 0..3.
CREDIT_LIMITS = {
    "EUR": ((1000, 2500, 5000), (5000, 10000, 15000), (10000, 25000, 50000),
            (25000, 50000, 100000)),
    "GBP": ((1000, 2500, 5000), (5000, 10000, 15000), (10000, 20000, 40000),
            (25000, 50000, 75000)),
    "USD": ((1000, 2500, 5000), (5000, 10000, 20000), (10000, 25000, 50000),
            (25000, 50000, 100000)),
    "DKK": ((7500, 20000, 40000), (40000, 75000, 100000), (75000, 200000, 400000),
            (200000, 400000, 750000)),
}

# --------------------------------------------------------------------------
# Per-country data
# --------------------------------------------------------------------------

COUNTRY = {
    # code: currency, dialling code, GS1 prefix (None: no GLNs), company TLD,
    #       public-sector TLD
    "NL": dict(currency="EUR", dial="31", gln="87", tld="nl", gov_tld="nl"),
    "BE": dict(currency="EUR", dial="32", gln="54", tld="be", gov_tld="be"),
    "DE": dict(currency="EUR", dial="49", gln="40", tld="de", gov_tld="de"),
    "DK": dict(currency="DKK", dial="45", gln="57", tld="dk", gov_tld="dk"),
    "GB": dict(currency="GBP", dial="44", gln="50", tld="co.uk", gov_tld="gov.uk"),
    "US": dict(currency="USD", dial="1", gln=None, tld="com", gov_tld="gov"),
}

# Delivery addresses abroad go to a neighbouring country.
NEIGHBOURS = {"NL": ("BE", "DE"), "BE": ("NL", "DE"), "DE": ("NL", "DK"),
              "DK": ("DE",), "GB": ("NL",), "US": ("US",)}

# Cities: (city, postcodes, area codes, town, locale), roughly by size: the
# first entries are picked most often.
#   postcodes: NL (first, last) 4-digit range; GB outward codes; else a list
#   town: name used for public bodies (None = no public bodies there)
#   locale: key into LOCALE (Belgium has a Dutch and a French one)
CITIES = {
    "NL": [
        ("Amsterdam", (1011, 1109), ("20",), "Amsterdam", "NL"),
        ("Rotterdam", (3011, 3089), ("10",), "Rotterdam", "NL"),
        ("Den Haag", (2491, 2597), ("70",), "Den Haag", "NL"),
        ("Utrecht", (3511, 3585), ("30",), "Utrecht", "NL"),
        ("Eindhoven", (5611, 5658), ("40",), "Eindhoven", "NL"),
        ("Groningen", (9711, 9747), ("50",), "Groningen", "NL"),
        ("Tilburg", (5011, 5049), ("13",), "Tilburg", "NL"),
        ("Almere", (1311, 1365), ("36",), "Almere", "NL"),
        ("Breda", (4811, 4839), ("76",), "Breda", "NL"),
        ("Nijmegen", (6511, 6546), ("24",), "Nijmegen", "NL"),
        ("Apeldoorn", (7311, 7339), ("55",), "Apeldoorn", "NL"),
        ("Haarlem", (2011, 2037), ("23",), "Haarlem", "NL"),
        ("Arnhem", (6811, 6846), ("26",), "Arnhem", "NL"),
        ("Enschede", (7511, 7548), ("53",), "Enschede", "NL"),
        ("Amersfoort", (3811, 3829), ("33",), "Amersfoort", "NL"),
        ("Zwolle", (8011, 8048), ("38",), "Zwolle", "NL"),
        ("Leiden", (2311, 2334), ("71",), "Leiden", "NL"),
        ("Maastricht", (6211, 6229), ("43",), "Maastricht", "NL"),
        ("Dordrecht", (3311, 3329), ("78",), "Dordrecht", "NL"),
        ("'s-Hertogenbosch", (5211, 5249), ("73",), "'s-Hertogenbosch", "NL"),
        ("Zoetermeer", (2711, 2729), ("79",), "Zoetermeer", "NL"),
        ("Venlo", (5911, 5932), ("77",), "Venlo", "NL"),
        ("Alkmaar", (1811, 1827), ("72",), "Alkmaar", "NL"),
        ("Leeuwarden", (8911, 8941), ("58",), "Leeuwarden", "NL"),
        ("Delft", (2611, 2629), ("15",), "Delft", "NL"),
        ("Deventer", (7411, 7431), ("570",), "Deventer", "NL"),
        ("Veenendaal", (3901, 3907), ("318",), "Veenendaal", "NL"),
        ("Hoofddorp", (2131, 2136), ("23",), "Haarlemmermeer", "NL"),
        ("Roermond", (6041, 6049), ("475",), "Roermond", "NL"),
        ("Emmen", (7811, 7833), ("591",), "Emmen", "NL"),
    ],
    "BE": [
        ("Antwerpen", ("2000", "2018", "2020", "2030", "2060"), ("3",), "Antwerpen", "BE-nl"),
        ("Gent", ("9000", "9040", "9050"), ("9",), "Gent", "BE-nl"),
        ("Bruxelles", ("1000", "1020"), ("2",), "Bruxelles", "BE-fr"),
        ("Liège", ("4000", "4020", "4030"), ("4",), "Liège", "BE-fr"),
        ("Brugge", ("8000", "8200"), ("50",), "Brugge", "BE-nl"),
        ("Charleroi", ("6000",), ("71",), "Charleroi", "BE-fr"),
        ("Leuven", ("3000", "3001", "3010"), ("16",), "Leuven", "BE-nl"),
        ("Namur", ("5000",), ("81",), "Namur", "BE-fr"),
        ("Mechelen", ("2800",), ("15",), "Mechelen", "BE-nl"),
        ("Anderlecht", ("1070",), ("2",), None, "BE-fr"),
        ("Hasselt", ("3500",), ("11",), "Hasselt", "BE-nl"),
        ("Kortrijk", ("8500",), ("56",), "Kortrijk", "BE-nl"),
        ("Ixelles", ("1050",), ("2",), None, "BE-fr"),
        ("Mons", ("7000",), ("65",), "Mons", "BE-fr"),
        ("Aalst", ("9300",), ("53",), "Aalst", "BE-nl"),
        ("Uccle", ("1180",), ("2",), None, "BE-fr"),
        ("Schaerbeek", ("1030",), ("2",), None, "BE-fr"),
        ("Berchem", ("2600",), ("3",), None, "BE-nl"),
        ("Oostende", ("8400",), ("59",), "Oostende", "BE-nl"),
        ("Genk", ("3600",), ("89",), "Genk", "BE-nl"),
        ("Sint-Niklaas", ("9100",), ("3",), "Sint-Niklaas", "BE-nl"),
        ("Roeselare", ("8800",), ("51",), "Roeselare", "BE-nl"),
        ("Turnhout", ("2300",), ("14",), "Turnhout", "BE-nl"),
        ("Tournai", ("7500",), ("69",), "Tournai", "BE-fr"),
        ("Wavre", ("1300",), ("10",), "Wavre", "BE-fr"),
        ("Verviers", ("4800",), ("87",), "Verviers", "BE-fr"),
        ("Arlon", ("6700",), ("63",), "Arlon", "BE-fr"),
        ("Waterloo", ("1410",), ("2",), None, "BE-fr"),
    ],
    "DE": [
        ("Berlin", ("10115", "10117", "10178", "10243", "10405", "10437", "10551",
                    "10585", "10623", "10777", "10965", "12043", "12157", "12435",
                    "13347", "13585", "14050"), ("30",), "Berlin", "DE"),
        ("Hamburg", ("20095", "20144", "20251", "20354", "20457", "21029", "22041",
                     "22083", "22297", "22525", "22765"), ("40",), "Hamburg", "DE"),
        ("München", ("80331", "80333", "80469", "80538", "80634", "80796", "80992",
                     "81241", "81369", "81541", "81667", "81925"), ("89",), "München", "DE"),
        ("Köln", ("50667", "50668", "50672", "50674", "50733", "50823", "50931",
                  "51063", "51103", "51143"), ("221",), "Köln", "DE"),
        ("Frankfurt am Main", ("60311", "60313", "60316", "60318", "60385", "60431",
                               "60486", "60528", "60594"), ("69",), "Frankfurt am Main", "DE"),
        ("Stuttgart", ("70173", "70174", "70178", "70190", "70327", "70372", "70469",
                       "70563"), ("711",), "Stuttgart", "DE"),
        ("Düsseldorf", ("40210", "40211", "40212", "40476", "40545", "40591",
                        "40625"), ("211",), "Düsseldorf", "DE"),
        ("Leipzig", ("04103", "04109", "04177", "04229", "04275", "04315"), ("341",),
         "Leipzig", "DE"),
        ("Dortmund", ("44135", "44137", "44139", "44141", "44225", "44287"), ("231",),
         "Dortmund", "DE"),
        ("Essen", ("45127", "45128", "45130", "45138", "45239", "45326"), ("201",),
         "Essen", "DE"),
        ("Bremen", ("28195", "28199", "28203", "28209", "28215", "28259"), ("421",),
         "Bremen", "DE"),
        ("Nürnberg", ("90402", "90403", "90408", "90419", "90429", "90441", "90471"),
         ("911",), "Nürnberg", "DE"),
        ("Hannover", ("30159", "30161", "30165", "30169", "30449", "30519"), ("511",),
         "Hannover", "DE"),
        ("Dresden", ("01067", "01069", "01097", "01099", "01109", "01307"), ("351",),
         "Dresden", "DE"),
        ("Münster", ("48143", "48145", "48149", "48151", "48153", "48155"), ("251",),
         "Münster", "DE"),
        ("Aachen", ("52062", "52064", "52066", "52068", "52070", "52072"), ("241",),
         "Aachen", "DE"),
        ("Duisburg", ("47051", "47053", "47057", "47058", "47119", "47166"), ("203",),
         "Duisburg", "DE"),
        ("Mönchengladbach", ("41061", "41063", "41065", "41066", "41068"), ("2161",),
         "Mönchengladbach", "DE"),
        ("Kleve", ("47533",), ("2821",), "Kleve", "DE"),
        ("Osnabrück", ("49074", "49076", "49078", "49080", "49084"), ("541",),
         "Osnabrück", "DE"),
        ("Bielefeld", ("33602", "33604", "33609", "33611", "33615"), ("521",),
         "Bielefeld", "DE"),
        ("Mainz", ("55116", "55118", "55122", "55124", "55127"), ("6131",), "Mainz", "DE"),
        ("Augsburg", ("86150", "86152", "86153", "86154", "86156"), ("821",),
         "Augsburg", "DE"),
        ("Freiburg im Breisgau", ("79098", "79100", "79102", "79104", "79106"),
         ("761",), "Freiburg im Breisgau", "DE"),
    ],
    "DK": [
        ("København K", ("1050", "1100", "1150", "1200", "1260", "1301", "1360", "1401",
                         "1450"), ("33",), "København", "DK"),
        ("Aarhus C", ("8000",), ("86", "87"), "Aarhus", "DK"),
        ("Odense C", ("5000",), ("66",), "Odense", "DK"),
        ("Aalborg", ("9000",), ("98", "96"), "Aalborg", "DK"),
        ("Frederiksberg", ("2000",), ("38",), "Frederiksberg", "DK"),
        ("Esbjerg", ("6700", "6705", "6710"), ("75",), "Esbjerg", "DK"),
        ("København Ø", ("2100",), ("35",), None, "DK"),
        ("Vejle", ("7100",), ("75",), "Vejle", "DK"),
        ("Kolding", ("6000",), ("75",), "Kolding", "DK"),
        ("Randers C", ("8900",), ("86", "87"), "Randers", "DK"),
        ("København N", ("2200",), ("35",), None, "DK"),
        ("Horsens", ("8700",), ("75",), "Horsens", "DK"),
        ("Roskilde", ("4000",), ("46",), "Roskilde", "DK"),
        ("Brøndby", ("2605",), ("43",), "Brøndby", "DK"),
        ("Aarhus N", ("8200",), ("86", "87"), None, "DK"),
        ("København S", ("2300",), ("32",), None, "DK"),
        ("Herning", ("7400",), ("97",), "Herning", "DK"),
        ("Silkeborg", ("8600",), ("86", "87"), "Silkeborg", "DK"),
        ("Valby", ("2500",), ("36",), None, "DK"),
        ("Næstved", ("4700",), ("55",), "Næstved", "DK"),
        ("København V", ("1620", "1650", "1700", "1750"), ("33",), None, "DK"),
        ("Hvidovre", ("2650",), ("36",), "Hvidovre", "DK"),
        ("Glostrup", ("2600",), ("43",), "Glostrup", "DK"),
        ("Ballerup", ("2750",), ("44",), "Ballerup", "DK"),
        ("Kongens Lyngby", ("2800",), ("45",), None, "DK"),
        ("Køge", ("4600",), ("56",), "Køge", "DK"),
        ("Odense SØ", ("5220",), ("65",), None, "DK"),
        ("Svendborg", ("5700",), ("62",), "Svendborg", "DK"),
        ("Sønderborg", ("6400",), ("74",), "Sønderborg", "DK"),
        ("Aabenraa", ("6200",), ("74",), "Aabenraa", "DK"),
        ("Fredericia", ("7000",), ("75",), "Fredericia", "DK"),
        ("Holstebro", ("7500",), ("97",), "Holstebro", "DK"),
        ("Viby J", ("8260",), ("86", "87"), None, "DK"),
        ("Hjørring", ("9800",), ("98",), "Hjørring", "DK"),
        ("Frederikshavn", ("9900",), ("98",), "Frederikshavn", "DK"),
    ],
    "GB": [
        ("London", ("SW1A", "SW3", "SW11", "SE1", "SE10", "E1", "E14", "EC1A", "EC2A",
                    "N1", "N7", "NW1", "NW3", "W1D", "W2", "W11", "WC2H"), ("20",), None, "GB"),
        ("Manchester", ("M1", "M2", "M4", "M14", "M15", "M20"), ("161",), "Manchester", "GB"),
        ("Birmingham", ("B1", "B5", "B15", "B16", "B29"), ("121",), "Birmingham", "GB"),
        ("Leeds", ("LS1", "LS2", "LS6", "LS11"), ("113",), "Leeds", "GB"),
        ("Glasgow", ("G1", "G2", "G3", "G12", "G41"), ("141",), "Glasgow", "GB"),
        ("Edinburgh", ("EH1", "EH2", "EH3", "EH6", "EH10"), ("131",), "Edinburgh", "GB"),
        ("Bristol", ("BS1", "BS2", "BS6", "BS8"), ("117",), "Bristol", "GB"),
        ("Liverpool", ("L1", "L2", "L3", "L8", "L17"), ("151",), "Liverpool", "GB"),
        ("Cardiff", ("CF10", "CF11", "CF14", "CF24"), ("29",), "Cardiff", "GB"),
        ("Sheffield", ("S1", "S2", "S10", "S11"), ("114",), "Sheffield", "GB"),
        ("Newcastle upon Tyne", ("NE1", "NE2", "NE4", "NE6"), ("191",), "Newcastle", "GB"),
        ("Nottingham", ("NG1", "NG2", "NG5", "NG7"), ("115",), "Nottingham", "GB"),
        ("Coventry", ("CV1", "CV2", "CV3", "CV5"), ("24",), "Coventry", "GB"),
        ("Leicester", ("LE1", "LE2", "LE3", "LE4"), ("116",), "Leicester", "GB"),
        ("Belfast", ("BT1", "BT2", "BT7", "BT9"), ("28",), "Belfast", "GB"),
        ("Southampton", ("SO14", "SO15", "SO16", "SO17"), ("23",), "Southampton", "GB"),
        ("Reading", ("RG1", "RG2", "RG4", "RG30"), ("118",), None, "GB"),
        ("Swansea", ("SA1", "SA2"), ("1792",), None, "GB"),
    ],
    "US": [
        ("New York", ("10001", "10003", "10011", "10016", "10019", "10022", "10025",
                      "10128"), ("212", "646", "917"), "New York", "US"),
        ("Brooklyn", ("11201", "11211", "11215", "11238"), ("718", "347"), None, "US"),
        ("Los Angeles", ("90012", "90015", "90026", "90028", "90034", "90045",
                         "90066"), ("213", "323", "310"), "Los Angeles", "US"),
        ("Chicago", ("60601", "60605", "60607", "60611", "60614", "60622", "60647"),
         ("312", "773"), "Chicago", "US"),
        ("Houston", ("77002", "77006", "77019", "77024", "77056", "77098"),
         ("713", "832", "281"), "Houston", "US"),
        ("Phoenix", ("85003", "85004", "85008", "85016", "85018"), ("602", "480"),
         "Phoenix", "US"),
        ("Detroit", ("48201", "48202", "48207", "48226"), ("313",), "Detroit", "US"),
        ("Dallas", ("75201", "75204", "75206", "75219", "75225"), ("214", "469", "972"),
         "Dallas", "US"),
        ("Seattle", ("98101", "98103", "98105", "98109", "98115", "98122"), ("206",),
         "Seattle", "US"),
        ("Denver", ("80202", "80203", "80205", "80206", "80210", "80218"),
         ("303", "720"), "Denver", "US"),
        ("Atlanta", ("30303", "30305", "30308", "30309", "30318"), ("404", "678", "470"),
         "Atlanta", "US"),
        ("Boston", ("02108", "02110", "02115", "02116", "02118", "02130"),
         ("617", "857"), "Boston", "US"),
        ("Miami", ("33125", "33130", "33131", "33137", "33145"), ("305", "786"),
         "Miami", "US"),
        ("Minneapolis", ("55401", "55403", "55405", "55408", "55414"), ("612",),
         "Minneapolis", "US"),
        ("Austin", ("78701", "78702", "78703", "78704", "78745"), ("512", "737"),
         "Austin", "US"),
        ("Charlotte", ("28202", "28203", "28204", "28205", "28207"), ("704", "980"),
         "Charlotte", "US"),
    ],
}

# Language/culture dependent data.  Company templates: (template, subsector);
# {S} = surname, {T} = town.  The legal form is appended afterwards, except
# for public bodies.
LOCALE = {
    "NL": dict(
        first=("Jan", "Pieter", "Kees", "Henk", "Willem", "Joost", "Bram", "Daan", "Sem",
               "Thijs", "Ruben", "Lucas", "Sven", "Jeroen", "Martijn", "Niels", "Bas",
               "Mark", "Sanne", "Lotte", "Emma", "Anouk", "Femke", "Fleur", "Iris", "Noor",
               "Eva", "Marieke", "Ingrid", "Petra", "Esther", "Linda", "Daniëlle", "Joëlle",
               "Noël", "Mohamed", "Fatima", "Emre", "Ayşe"),
        last=("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
              "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
              "van Dijk", "Dekker", "van Leeuwen", "Brouwer", "de Jong", "van der Meer",
              "Kok", "Jacobs", "Willems", "Verhoeven", "van Beek", "Koster", "Prins",
              "Huisman", "Kuipers", "Postma", "van der Linden", "Vermeulen", "Janssen",
              "Yılmaz", "El Amrani", "Boukhari"),
        streets=("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Schoolstraat",
                 "Hoofdstraat", "Julianastraat", "Beatrixlaan", "Wilhelminastraat",
                 "Oranjestraat", "Prinses Irenestraat", "Marktplein", "Kastanjelaan",
                 "Eikenlaan", "Lindenlaan", "Berkenweg", "Nieuwe Gracht", "Voorstraat",
                 "Achterweg", "Van Goghstraat", "Rembrandtlaan", "Parallelweg",
                 "Kanaalweg", "Dijkstraat", "Emmalaan", "Tulpstraat", "Coöperatiestraat"),
        industrial=("Industrieweg", "Nijverheidsweg", "Ambachtsweg", "Edisonweg",
                    "Handelsweg", "Energieweg", "Transportweg"),
        freemail=(("gmail.com", 30), ("hotmail.com", 12), ("outlook.com", 12),
                  ("hotmail.nl", 8), ("live.nl", 6), ("ziggo.nl", 8), ("kpnmail.nl", 6),
                  ("xs4all.nl", 3), ("icloud.com", 6), ("planet.nl", 3), ("home.nl", 3)),
        legal=(("B.V.", 85), ("V.O.F.", 12), ("N.V.", 3)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "info", "info", "verkoop", "administratie", "werkplaats",
                 "kantoor"),
        mailbox_gov=("inkoop", "wagenpark", "info"),
        invoice=("facturen", "facturen", "administratie", "crediteuren", "factuur"),
        order=("bestellingen", "inkoop"),
        quote=("offertes", "inkoop"),
        credit_note=("administratie", "crediteuren"),
        statement=("administratie", "boekhouding"),
        companies={
            "automotive": (("Garage {S}", "car repair"), ("Autobedrijf {S}", "car repair"),
                           ("Autoservice {T}", "car repair"), ("Bandenservice {S}", "tyres"),
                           ("Bandencentrale {T}", "tyres"), ("Autoschade {S}", "body shop"),
                           ("Carrosseriebedrijf {S}", "body shop"),
                           ("Autohandel {S}", "car dealer"), ("Autoparts {S}", "parts wholesale"),
                           ("Auto-onderdelen {T}", "parts wholesale"),
                           ("Fleetservice {T}", "fleet")),
            "trade": (("Handelsonderneming {S}", "wholesale"),
                      ("Technische Groothandel {S}", "wholesale"), ("{S} Techniek", "wholesale"),
                      ("Transportbedrijf {S}", "fleet"), ("Autoverhuur {T}", "fleet"),
                      ("{S} Webwinkel", "e-commerce"), ("Tweewielers {S}", "retail")),
            "construction": (("Bouwbedrijf {S}", "general contracting"),
                             ("Aannemersbedrijf {S}", "civil engineering"),
                             ("Installatiebedrijf {S}", "installation"),
                             ("{S} Installatietechniek", "installation"),
                             ("Schildersbedrijf {S}", "renovation"),
                             ("Dakdekkersbedrijf {S}", "roofing")),
            "hospitality": (("Hotel {T}", "hotel"), ("Hotel De Gouden Leeuw", "hotel"),
                            ("Restaurant {S}", "restaurant"), ("Eetcafé De Zwaan", "restaurant"),
                            ("Catering {S}", "catering"), ("Partycentrum {S}", "catering")),
            "public": (("Gemeente {T}", "municipality"), ("Gemeente {T}", "municipality"),
                       ("Brandweer {T}", "fire service"), ("ROC {T}", "education")),
        },
    ),
    "BE-nl": dict(
        first=("Lucas", "Noah", "Louis", "Arthur", "Wout", "Jens", "Koen", "Bart", "Dries",
               "Pieter-Jan", "Stijn", "Tom", "Jef", "Emma", "Olivia", "Marie", "Lies",
               "Annelies", "Sofie", "Ellen", "Hanne", "Elke", "Jolien", "Griet"),
        last=("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
              "Goossens", "Wouters", "De Smet", "Vermeulen", "Van Damme", "De Backer",
              "Hermans", "Verstraete", "Claeys", "Van de Velde", "De Clercq", "Desmet",
              "Pauwels", "Martens", "Coppens", "Vandenberghe"),
        streets=("Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat",
                 "Schoolstraat", "Kapelstraat", "Veldstraat", "Leopoldlaan", "Grote Markt",
                 "Brusselsesteenweg", "Gentsesteenweg", "Kortrijksesteenweg", "Vaartstraat",
                 "Koning Albertlaan", "Diestsestraat", "Mechelsesteenweg"),
        industrial=("Industrieweg", "Industriepark", "Ambachtenlaan", "Nijverheidsstraat"),
        freemail=(("gmail.com", 30), ("hotmail.com", 12), ("outlook.be", 10),
                  ("telenet.be", 18), ("skynet.be", 8), ("proximus.be", 6), ("live.be", 6),
                  ("icloud.com", 5)),
        legal=(("BV", 80), ("NV", 12), ("CommV", 3), ("CV", 5)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "info", "verkoop", "boekhouding", "administratie"),
        mailbox_gov=("aankoop", "info"),
        invoice=("facturen", "boekhouding", "facturatie", "aankoopfacturen"),
        order=("bestellingen", "aankoop"),
        quote=("offertes", "aankoop"),
        credit_note=("boekhouding",),
        statement=("boekhouding",),
        companies={
            "automotive": (("Garage {S}", "car repair"), ("Autoparts {S}", "parts wholesale"),
                           ("Autocenter {T}", "car repair"), ("Bandencentrale {S}", "tyres"),
                           ("Carrosserie {S}", "body shop"), ("Autohandel {S}", "car dealer"),
                           ("Fleet Services {T}", "fleet")),
            "trade": (("Handelshuis {S}", "wholesale"), ("{S} & Zonen", "wholesale"),
                      ("Transport {S}", "fleet"), ("Tweewielers {S}", "retail"),
                      ("{S} Online", "e-commerce")),
            "construction": (("Bouwonderneming {S}", "general contracting"),
                             ("Algemene Bouw {S}", "general contracting"),
                             ("Grondwerken {S}", "civil engineering"),
                             ("Installatietechniek {S}", "installation"),
                             ("Dakwerken {S}", "roofing")),
            "hospitality": (("Hotel {S}", "hotel"), ("Brasserie {S}", "restaurant"),
                            ("Frituur {S}", "restaurant"), ("Traiteur {S}", "catering")),
            "public": (("Stad {T}", "municipality"), ("Stad {T}", "municipality"),
                       ("Brandweerzone {T}", "fire service"),
                       ("Technisch Instituut {T}", "education")),
        },
    ),
    "BE-fr": dict(
        first=("Julien", "Mathieu", "Nicolas", "Maxime", "Sébastien", "Laurent", "Théo",
               "François", "Benoît", "Hugo", "Grégory", "Camille", "Élodie", "Léa",
               "Amélie", "Hélène", "Céline", "Aurélie", "Chloé", "Manon"),
        last=("Dubois", "Lambert", "Dupont", "Martin", "Lejeune", "Renard", "Leclercq",
              "Simon", "Laurent", "Lefèvre", "Mathieu", "François", "Hubert", "Collard",
              "Denis", "Gérard", "Dumont", "Lemaire", "Masson", "Noël", "Piette", "Jacquet"),
        streets=("Rue de la Station", "Rue de l'Église", "Chaussée de Bruxelles",
                 "Rue Haute", "Rue du Moulin", "Rue de la Côte", "Chaussée de Louvain",
                 "Rue des Écoles", "Avenue de la Gare", "Place du Marché",
                 "Rue du Château", "Avenue des Combattants", "Rue de Namur"),
        industrial=("Rue de l'Industrie", "Zoning Industriel", "Avenue du Parc Industriel",
                    "Rue des Artisans"),
        freemail=(("gmail.com", 30), ("hotmail.com", 14), ("skynet.be", 10),
                  ("voo.be", 10), ("proximus.be", 8), ("outlook.be", 8), ("yahoo.fr", 6),
                  ("live.be", 6)),
        legal=(("SRL", 80), ("SA", 15), ("SC", 5)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "info", "contact", "contact", "comptabilite",
                 "administration"),
        mailbox_gov=("achats", "info"),
        invoice=("factures", "comptabilite", "facturation"),
        order=("commandes", "achats"),
        quote=("devis", "achats"),
        credit_note=("comptabilite",),
        statement=("comptabilite",),
        companies={
            "automotive": (("Garage {S}", "car repair"), ("Autoparts {S}", "parts wholesale"),
                           ("Carrosserie {S}", "body shop"), ("Pneus {S}", "tyres"),
                           ("Centre Pneus {T}", "tyres"), ("Auto Services {T}", "car repair"),
                           ("Automobiles {S}", "car dealer")),
            "trade": (("Comptoir {S}", "wholesale"), ("Établissements {S}", "wholesale"),
                      ("Transports {S}", "fleet"), ("Cycles {S}", "retail")),
            "construction": (("Construction {S}", "general contracting"),
                             ("Entreprise Générale {S}", "general contracting"),
                             ("Terrassements {S}", "civil engineering"),
                             ("Chauffage {S}", "installation"), ("Toitures {S}", "roofing")),
            "hospitality": (("Hôtel {S}", "hotel"), ("Brasserie {S}", "restaurant"),
                            ("Restaurant Le Relais", "restaurant"), ("Traiteur {S}", "catering")),
            "public": (("Ville de {T}", "municipality"), ("Ville de {T}", "municipality"),
                       ("Zone de secours {T}", "fire service"),
                       ("Athénée Royal de {T}", "education")),
        },
    ),
    "DE": dict(
        first=("Lukas", "Jonas", "Leon", "Felix", "Maximilian", "Paul", "Tim", "Thomas",
               "Michael", "Stefan", "Andreas", "Markus", "Jürgen", "Uwe", "Jörg", "Björn",
               "Dirk", "Frank", "Anna", "Lena", "Sophie", "Marie", "Julia", "Laura",
               "Sabine", "Petra", "Katrin", "Claudia", "Birgit", "Jana", "Anja", "Mehmet",
               "Özlem"),
        last=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
              "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein",
              "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
              "Hofmann", "Hartmann", "Lange", "Weiß", "Köhler", "Jäger", "Yılmaz", "Öztürk",
              "Kowalski", "Nowak"),
        streets=("Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße",
                 "Gartenstraße", "Lindenstraße", "Kirchstraße", "Schulstraße", "Am Markt",
                 "Lindenallee", "Ringstraße", "Friedrichstraße", "Mozartstraße", "Bergstraße",
                 "Waldweg", "Dorfstraße", "Kölner Straße", "Münchener Straße",
                 "Berliner Allee", "Am Mühlenbach", "Rosenweg", "Feldstraße"),
        industrial=("Industriestraße", "Gewerbestraße", "Im Gewerbegebiet",
                    "Robert-Bosch-Straße", "Carl-Benz-Straße", "Max-Planck-Straße",
                    "Daimlerstraße"),
        freemail=(("web.de", 22), ("gmx.de", 20), ("gmail.com", 20), ("t-online.de", 12),
                  ("gmx.net", 8), ("outlook.de", 5), ("yahoo.de", 4), ("freenet.de", 4),
                  ("icloud.com", 3), ("posteo.de", 2)),
        legal=(("GmbH", 70), ("GmbH & Co. KG", 15), ("UG (haftungsbeschränkt)", 7),
               ("OHG", 5), ("AG", 3)),
        legal_sole=(("e.K.", 1), ("", 1)),
        mailbox=("info", "info", "info", "info", "kontakt", "service", "werkstatt",
                 "verkauf"),
        mailbox_gov=("beschaffung", "fuhrpark", "info"),
        invoice=("rechnung", "rechnungen", "buchhaltung", "rechnungseingang"),
        order=("bestellung", "einkauf"),
        quote=("angebote", "einkauf"),
        credit_note=("buchhaltung",),
        statement=("buchhaltung", "kreditoren"),
        companies={
            "automotive": (("Kfz-Technik {S}", "car repair"), ("Kfz-Werkstatt {S}", "car repair"),
                           ("Autoservice {T}", "car repair"), ("Autohaus {S}", "car dealer"),
                           ("Reifenservice {S}", "tyres"), ("Reifen {S}", "tyres"),
                           ("Karosseriebau {S}", "body shop"),
                           ("Autolackiererei {S}", "body shop"),
                           ("Autoteile {S}", "parts wholesale"),
                           ("Autoteile {T}", "parts wholesale"),
                           ("Fuhrparkservice {T}", "fleet")),
            "trade": (("{S} Handels", "wholesale"), ("Technischer Großhandel {S}", "wholesale"),
                      ("Spedition {S}", "fleet"), ("Zweirad {S}", "retail"),
                      ("{S} Versandhandel", "e-commerce")),
            "construction": (("Bauunternehmen {S}", "general contracting"),
                             ("{S} Bau", "general contracting"),
                             ("Tiefbau {S}", "civil engineering"),
                             ("Haustechnik {S}", "installation"),
                             ("Dachdeckerei {S}", "roofing"), ("Malerbetrieb {S}", "renovation")),
            "hospitality": (("Hotel {S}", "hotel"), ("Hotel Zur Post", "hotel"),
                            ("Gasthof Zum Löwen", "restaurant"), ("Landgasthof {S}", "restaurant"),
                            ("Restaurant {S}", "restaurant"), ("Partyservice {S}", "catering")),
            "public": (("Stadt {T}", "municipality"), ("Stadt {T}", "municipality"),
                       ("Feuerwehr {T}", "fire service"), ("Berufskolleg {T}", "education"),
                       ("Stadtwerke {T} GmbH", "utilities")),
        },
    ),
    "DK": dict(
        first=("Søren", "Mads", "Rasmus", "Jens", "Niels", "Anders", "Mikkel", "Frederik",
               "Lars", "Bjørn", "Jesper", "Henrik", "Emil", "Kasper", "Morten", "Mette",
               "Hanne", "Camilla", "Louise", "Freja", "Ida", "Kirsten", "Pernille", "Sofie",
               "Line", "Maja", "Signe", "Trine", "Åse"),
        last=("Jørgensen", "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen",
              "Christensen", "Larsen", "Sørensen", "Rasmussen", "Petersen", "Madsen",
              "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Møller",
              "Mortensen", "Østergaard", "Kjær", "Lund", "Dahl", "Bæk", "Holm", "Skov",
              "Frandsen"),
        streets=("Vestergade", "Østergade", "Nørregade", "Søndergade", "Jernbanegade",
                 "Strandvejen", "Bredgade", "Algade", "Møllevej", "Skovvej", "Kongensgade",
                 "Nørrebrogade", "Vesterbrogade", "Åboulevard", "Havnegade", "Birkevej",
                 "Egevej", "Rosenvænget", "Bøgevej", "Søvej", "Kirkevej", "Torvet",
                 "Frederiksberg Allé", "Ågade"),
        industrial=("Industrivej", "Håndværkervej", "Erhvervsvej", "Industriparken",
                    "Smedevej", "Værkstedsvej"),
        freemail=(("gmail.com", 30), ("hotmail.com", 15), ("live.dk", 10),
                  ("outlook.dk", 8), ("icloud.com", 8), ("hotmail.dk", 6), ("yahoo.dk", 6),
                  ("mail.dk", 5), ("jubii.dk", 3), ("stofanet.dk", 3)),
        legal=(("ApS", 72), ("A/S", 22), ("I/S", 6)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "info", "kontakt", "mail", "post", "salg", "vaerksted"),
        mailbox_gov=("indkoeb", "post"),
        invoice=("faktura", "bogholderi", "regnskab", "kreditor"),
        order=("ordre", "indkoeb"),
        quote=("tilbud", "indkoeb"),
        credit_note=("bogholderi",),
        statement=("bogholderi", "regnskab"),
        companies={
            "automotive": (("Autoværksted {S}", "car repair"), ("{S}s Autoværksted", "car repair"),
                           ("Dækcenter {T}", "tyres"), ("{S} Dæk", "tyres"),
                           ("{S} Autoskade", "body shop"), ("Autolakering {S}", "body shop"),
                           ("{S} Biler", "car dealer"), ("Autodele {T}", "parts wholesale"),
                           ("{S} Autodele", "parts wholesale"), ("Flådeservice {T}", "fleet")),
            "trade": (("{S} Engros", "wholesale"), ("{S} Handel", "wholesale"),
                      ("{S} Transport", "fleet"), ("Vognmand {S}", "fleet"),
                      ("{S} Cykler", "retail"), ("{S} Webshop", "e-commerce")),
            "construction": (("{S} Byg", "general contracting"),
                             ("{S} Entreprise", "general contracting"),
                             ("Tømrerfirma {S}", "renovation"),
                             ("Kloakmester {S}", "civil engineering"),
                             ("{S} VVS", "installation"), ("Tagdækning {S}", "roofing")),
            "hospitality": (("Hotel {T}", "hotel"), ("Hotel Svanen", "hotel"),
                            ("{T} Kro", "restaurant"), ("Restaurant {S}", "restaurant"),
                            ("{S} Catering", "catering")),
            "public": (("{T} Kommune", "municipality"), ("{T} Kommune", "municipality"),
                       ("{T} Brandvæsen", "fire service"),
                       ("{T} Tekniske Skole", "education")),
        },
    ),
    "GB": dict(
        first=("Oliver", "George", "Harry", "Jack", "James", "Thomas", "William", "Daniel",
               "Matthew", "Rhys", "Callum", "Liam", "Mohammed", "Amelia", "Olivia", "Isla",
               "Emily", "Charlotte", "Sophie", "Chloe", "Hannah", "Siobhan", "Eilidh",
               "Niamh", "Priya", "Aisha", "Zoë"),
        last=("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
              "Thomas", "Roberts", "Johnson", "Walker", "Wright", "Robinson", "Thompson",
              "Hughes", "Edwards", "Green", "Hall", "Wood", "O'Brien", "MacDonald",
              "Campbell", "Patel", "Khan", "Murphy"),
        streets=("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
                 "Park Road", "London Road", "Queen's Road", "King Street", "Green Lane",
                 "Manor Road", "The Crescent", "Chapel Street", "Albert Road",
                 "St John's Road", "Oxford Road"),
        industrial=("Enterprise Way", "Brunel Road", "Station Approach", "Telford Way"),
        freemail=(("gmail.com", 25), ("yahoo.co.uk", 12), ("hotmail.co.uk", 12),
                  ("outlook.com", 12), ("btinternet.com", 10), ("icloud.com", 8),
                  ("sky.com", 6), ("live.co.uk", 6), ("googlemail.com", 3)),
        legal=(("Ltd", 80), ("Limited", 11), ("LLP", 6), ("PLC", 3)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "info", "sales", "enquiries", "hello", "office"),
        mailbox_gov=("procurement", "fleet"),
        invoice=("invoices", "accounts", "accountspayable", "purchaseledger"),
        order=("orders", "purchasing"),
        quote=("quotes", "purchasing"),
        credit_note=("accounts",),
        statement=("accounts", "statements"),
        companies={
            "automotive": (("{S} Motors", "car repair"), ("{S} Garage", "car repair"),
                           ("{T} Autocentre", "car repair"), ("{S} Tyres", "tyres"),
                           ("{T} Tyre Centre", "tyres"), ("{S} Bodyshop", "body shop"),
                           ("{S} Car Sales", "car dealer"),
                           ("{S} Motor Factors", "parts wholesale"),
                           ("{T} Fleet Services", "fleet")),
            "trade": (("{S} Trading", "wholesale"), ("{S} & Sons", "wholesale"),
                      ("{S} Wholesale", "wholesale"), ("{S} Haulage", "fleet"),
                      ("{S} Cycles", "retail"), ("{S} Online", "e-commerce")),
            "construction": (("{S} Construction", "general contracting"),
                             ("{S} Builders", "general contracting"),
                             ("{S} Groundworks", "civil engineering"),
                             ("{S} Plumbing & Heating", "installation"),
                             ("{S} Roofing", "roofing")),
            "hospitality": (("{T} Grand Hotel", "hotel"), ("{S} Inns", "restaurant"),
                            ("The {S} Arms", "restaurant"), ("{S} Catering", "catering")),
            "public": (("{T} City Council", "municipality"),
                       ("{T} City Council", "municipality"),
                       ("{T} Fire and Rescue Service", "fire service"),
                       ("{T} College", "education")),
        },
    ),
    "US": dict(
        first=("Michael", "James", "John", "Robert", "David", "Christopher", "Matthew",
               "Brian", "Kevin", "Tyler", "Brandon", "José", "Luis", "DeShawn", "Jennifer",
               "Emily", "Ashley", "Sarah", "Jessica", "Megan", "Lauren", "Maria", "Ana",
               "Kimberly", "Amanda", "Nicole"),
        last=("Miller", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Martinez",
              "Davis", "Rodriguez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
              "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Nguyen",
              "Kowalski", "O'Connor", "Peña"),
        streets=("Main Street", "Oak Avenue", "Elm Street", "Maple Drive",
                 "Washington Boulevard", "Fifth Avenue", "Park Avenue", "Lake Street",
                 "Cedar Lane", "Pine Street", "Broadway", "Jefferson Avenue", "Market Street",
                 "Madison Avenue", "Sunset Boulevard", "Lincoln Avenue"),
        industrial=("Industrial Parkway", "Commerce Drive", "Distribution Way",
                    "Enterprise Boulevard"),
        freemail=(("gmail.com", 40), ("yahoo.com", 15), ("icloud.com", 12),
                  ("outlook.com", 10), ("hotmail.com", 8), ("aol.com", 5),
                  ("comcast.net", 5), ("att.net", 3)),
        legal=(("Inc.", 45), ("LLC", 45), ("Corp.", 5), ("Co.", 5)),
        legal_sole=(("", 1),),
        mailbox=("info", "info", "sales", "contact", "office", "service"),
        mailbox_gov=("purchasing", "fleet"),
        invoice=("ap", "accounting", "invoices", "billing"),
        order=("orders", "purchasing"),
        quote=("quotes", "purchasing"),
        credit_note=("accounting",),
        statement=("accounting", "ap"),
        companies={
            "automotive": (("{S} Auto Supply", "parts wholesale"),
                           ("{S} Auto Repair", "car repair"), ("{T} Auto Service", "car repair"),
                           ("{S} Tire & Wheel", "tyres"), ("{S} Collision Repair", "body shop"),
                           ("{S} Motors", "car dealer"), ("{T} Fleet Services", "fleet")),
            "trade": (("{S} Distributors", "wholesale"), ("{S} Supply", "wholesale"),
                      ("{S} Trucking", "fleet"), ("{S} Bikes", "retail"),
                      ("{S} Online", "e-commerce")),
            "construction": (("{S} Construction", "general contracting"),
                             ("{S} Builders", "general contracting"),
                             ("{S} Excavating", "civil engineering"),
                             ("{S} Plumbing & HVAC", "installation"),
                             ("{S} Roofing", "roofing")),
            "hospitality": (("{S}'s Diner", "restaurant"), ("{T} Grill", "restaurant"),
                            ("{S} Catering", "catering"), ("{T} Inn & Suites", "hotel")),
            "public": (("City of {T}", "municipality"), ("City of {T}", "municipality"),
                       ("{T} Fire Department", "fire service"),
                       ("{T} Public Schools", "education")),
        },
    ),
}

# Public bodies whose name is not simply "<template> <town>".
PUBLIC_NAME_FIXES = {
    "København Kommune": "Københavns Kommune",
    "København Brandvæsen": "Københavns Brandvæsen",
    "København Tekniske Skole": "Københavns Tekniske Skole",
}

# Hand-set customer groups (about 3 % of rows), keyed by what fits the customer.
GROUP_FOR = {
    ("B2B", "NL"): "DOMESTIC",
    ("B2B", "BE"): "EU", ("B2B", "DE"): "EU", ("B2B", "DK"): "EU",
    ("B2B", "GB"): "OVERSEAS", ("B2B", "US"): "OVERSEAS",
    ("B2C", "webshop"): "WEBSHOP",
    ("B2C", "pos"): "STANDARD",
}

# Characters that need more than stripping accents in e-mail addresses/domains.
TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae",
                          "ø": "oe", "å": "aa", "ı": "i", "&": " "})

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


class Deck:
    """Draws values in the exact proportions of ((value, weight), ...), weights
    summing to 100, by dealing from a shuffled deck that is refilled when empty.
    Keeps small samples close to the intended mix."""

    def __init__(self, rng: random.Random, pairs):
        self.rng, self.pairs, self.cards = rng, pairs, []

    def draw(self) -> str:
        if not self.cards:
            self.cards = [v for v, w in self.pairs for _ in range(w)]
            self.rng.shuffle(self.cards)
        return self.cards.pop()


def weighted(rng: random.Random, pairs) -> str:
    """Pick a value from ((value, weight), ...)."""
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def money(value: float) -> str:
    return f"{value:.2f}"


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII for e-mail local parts and domains."""
    text = text.lower().translate(TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", text.replace("'", ""))
    return sep.join(words)


def standalone_surname(last: str) -> str:
    """Dutch 'de Vries' is written 'De Vries' without a first name."""
    return last[0].upper() + last[1:]


def elide_french(name: str) -> str:
    """'Ville de Arlon' -> 'Ville d'Arlon'."""
    return re.sub(r"\bde ([AEIOUÉH])", r"d'\1", name)


# --------------------------------------------------------------------------
# Check digits
# --------------------------------------------------------------------------


def gln(rng: random.Random, prefix: str) -> str:
    """GLN-13 with a GS1 check digit (weights 1,3,1,3,... from the left)."""
    body = prefix + digits(rng, 12 - len(prefix))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def gln_is_valid(code: str) -> bool:
    if not re.fullmatch(r"\d{13}", code):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def vat_nl(rng: random.Random) -> str:
    """NL + 9-digit number passing the 'elfproef' + B01 (sometimes B02)."""
    while True:
        body = str(rng.randint(1, 8)) + digits(rng, 7)
        check = sum(int(d) * w for d, w in zip(body, range(9, 1, -1))) % 11
        if check < 10:
            suffix = weighted(rng, (("01", 90), ("02", 8), ("03", 2)))
            return f"NL{body}{check}B{suffix}"


def vat_be(rng: random.Random) -> str:
    """BE + 10 digits, the last two being 97 - (first eight mod 97)."""
    body = "0" + str(rng.randint(2, 9)) + digits(rng, 6)
    return f"BE{body}{97 - int(body) % 97:02d}"


def vat_de(rng: random.Random) -> str:
    """DE + 9 digits with an ISO 7064 MOD 11,10 check digit."""
    body = str(rng.randint(1, 3)) + digits(rng, 7)
    product = 10
    for d in body:
        total = (int(d) + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return f"DE{body}{check}"


def vat_dk(rng: random.Random) -> str:
    """DK + 8-digit CVR number passing the modulus 11 check."""
    while True:
        body = str(rng.randint(1, 4)) + digits(rng, 6)
        total = sum(int(d) * w for d, w in zip(body, (2, 7, 6, 5, 4, 3, 2)))
        check = (-total) % 11
        if check < 10:
            return f"DK{body}{check}"


def vat_gb(rng: random.Random) -> str:
    """GB + 9 digits, the last two being the modulus 97 check."""
    body = str(rng.randint(1, 9)) + digits(rng, 6)
    total = sum(int(d) * w for d, w in zip(body, range(8, 1, -1)))
    return f"GB{body}{(-total) % 97:02d}"


VAT = {"NL": vat_nl, "BE": vat_be, "DE": vat_de, "DK": vat_dk, "GB": vat_gb}

# --------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------


def postcode(rng: random.Random, country: str, codes) -> str:
    if country == "NL":
        # Letters F, I, O, Q, U, Y are not used; SA, SD and SS are skipped.
        letters = "ABCDEGHJKLMNPRSTVWXZ"
        while True:
            pair = rng.choice(letters) + rng.choice(letters)
            if pair not in ("SA", "SD", "SS"):
                return f"{rng.randint(*codes)} {pair}"
    if country == "GB":
        inward = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{rng.choice(codes)} {rng.randint(0, 9)}{rng.choice(inward)}{rng.choice(inward)}"
    return rng.choice(codes)


def house_number(rng: random.Random, top: int = 180) -> int:
    """Low numbers are more common than high ones."""
    return min(int(rng.paretovariate(1.1)) + rng.randint(0, 20), top)


def street_line(rng: random.Random, country: str, loc: str, business: bool) -> str:
    locale = LOCALE[loc]
    industrial = business and rng.random() < 0.45
    name = rng.choice(locale["industrial" if industrial else "streets"])
    n = house_number(rng)
    r = rng.random()
    if country == "NL":
        suffix = ""
        if r < 0.10:
            suffix = rng.choice(("a", "b", "A", "-1", "-2", "-II", " hs"))
        return f"{name} {n}{suffix}"
    if country == "BE":
        suffix = ""
        if r < 0.08:
            suffix = rng.choice((" bus 2", " bus 3", " bus 11")) if loc == "BE-nl" \
                else rng.choice((" bte 2", " bte 4", " bte 12"))
        return f"{name} {n}{suffix}"
    if country == "DE":
        suffix = ""
        if r < 0.07:
            suffix = rng.choice(("a", "b"))
        elif r < 0.09:
            suffix = f"-{n + 2}"
        return f"{name} {n}{suffix}"
    if country == "DK":
        line = f"{name} {n}" + (rng.choice("AB") if r < 0.06 else "")
        if not industrial and rng.random() < 0.35:
            floor = rng.choice(("st.", "1.", "1.", "2.", "2.", "3.", "4."))
            line += f", {floor} {rng.choice(('tv', 'th', 'tv', 'th', 'mf'))}"
        return line
    if country == "GB":
        if industrial and r < 0.5:
            estate = rng.choice(("Riverside Industrial Estate", "Enterprise Park",
                                 "Brookside Business Park", "Station Trading Estate"))
            return f"Unit {rng.randint(1, 40)}, {estate}"
        line = f"{n} {name}"
        if not business and r < 0.12:
            line = f"Flat {rng.randint(1, 24)}, {line}"
        return line
    # US: wider number range, apartments and suites
    line = f"{n * rng.choice((1, 1, 10, 10, 100)) + rng.randint(0, 9)} {name}"
    if business and r < 0.25:
        line += f", Suite {rng.choice((100, 110, 200, 210, 300, 400, 1200))}"
    elif not business and r < 0.18:
        line += f", Apt {rng.randint(1, 24)}{rng.choice('ABCDEF')}"
    return line


def pick_city(rng: random.Random, country: str, need_town: bool = False):
    cities = CITIES[country]
    if need_town:
        cities = [c for c in cities if c[3]]
    # Earlier (bigger) cities are more likely.
    weights = [1.0 / (i + 2) ** 0.6 for i in range(len(cities))]
    return rng.choices(cities, weights=weights)[0]


def address(rng: random.Random, country: str, city, business: bool) -> dict:
    name, codes, _area, _town, loc = city
    return {
        "street": street_line(rng, country, loc, business),
        "postcode": postcode(rng, country, codes),
        "city": name,
    }


# --------------------------------------------------------------------------
# Phone numbers (E.164)
# --------------------------------------------------------------------------

NATIONAL_LENGTH = {"NL": 9, "BE": 8, "DK": 8, "GB": 10, "US": 10}
DK_MOBILE = ("20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
             "40", "41", "42", "50", "51", "52", "53", "60", "61", "71", "81", "91", "93")
DE_MOBILE = ("151", "152", "157", "159", "160", "162", "163", "170", "171", "172",
             "173", "174", "175", "176", "177", "178", "179")
BE_MOBILE = ("467", "468", "470", "471", "472", "473", "474", "475", "476", "477",
             "478", "479", "484", "485", "486", "487", "488", "489", "492", "493",
             "494", "495", "496", "497", "498", "499")
GB_SUBSCRIBER_START = {"20": "378", "29": "2", "24": "7", "28": "9", "23": "8"}


def us_number(rng: random.Random, area: str) -> str:
    while True:
        exchange = str(rng.randint(2, 9)) + digits(rng, 2)
        if exchange != "555" and exchange[1:] != "11":
            return f"+1{area}{exchange}{digits(rng, 4)}"


def landline(rng: random.Random, country: str, city) -> str:
    area = rng.choice(city[2])
    dial = COUNTRY[country]["dial"]
    if country == "US":
        return us_number(rng, area)
    if country == "DE":
        length = 10 + (rng.random() < 0.3)
    else:
        length = NATIONAL_LENGTH[country]
    first = rng.choice(GB_SUBSCRIBER_START.get(area, "23456789")) if country == "GB" \
        else str(rng.randint(2, 9))
    rest = length - len(area) - len(first)
    return f"+{dial}{area}{first}{digits(rng, rest)}"


def mobile(rng: random.Random, country: str, city) -> str:
    if country == "NL":
        return f"+316{rng.randint(1, 5)}{digits(rng, 7)}"
    if country == "BE":
        return f"+32{rng.choice(BE_MOBILE)}{digits(rng, 6)}"
    if country == "DE":
        prefix = rng.choice(DE_MOBILE)
        n = 8 if prefix.startswith("15") or prefix in ("176", "177", "178", "179") else 7
        return f"+49{prefix}{digits(rng, n)}"
    if country == "DK":
        return f"+45{rng.choice(DK_MOBILE)}{digits(rng, 6)}"
    if country == "GB":
        return f"+447{rng.randint(4, 9)}{digits(rng, 8)}"
    return us_number(rng, rng.choice(city[2]))


# --------------------------------------------------------------------------
# Names and e-mail
# --------------------------------------------------------------------------


def person(rng: random.Random, locale: dict) -> tuple[str, str]:
    return rng.choice(locale["first"]), rng.choice(locale["last"])


def personal_email(rng: random.Random, first: str, last: str, locale: dict,
                   created: dt.date) -> str:
    f, l = ascii_slug(first), ascii_slug(last)
    pattern = rng.choices(range(6), weights=(40, 15, 12, 12, 12, 9))[0]
    birth_year = created.year - rng.randint(20, 65)
    local = (f"{f}.{l}", f"{f}{l}", f"{f[0]}.{l}", f"{f}.{l}{rng.randint(1, 99)}",
             f"{f}{birth_year}", f"{f}_{l}")[pattern]
    return f"{local}@{weighted(rng, locale['freemail'])}"


def unique(email: str, taken: set[str], rng: random.Random) -> str:
    while email in taken:
        local, domain = email.split("@")
        email = f"{local}{rng.randint(2, 9)}@{domain}"
    taken.add(email)
    return email


def company_domain(rng: random.Random, base: str, country: str, public: bool) -> str:
    tld = COUNTRY[country]["gov_tld" if public else "tld"]
    hyphen = country == "DE" and rng.random() < 0.35
    return f"{ascii_slug(base, '-' if hyphen else '')}.{tld}"


# --------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------


def created_dates(rng: random.Random, n: int) -> list[dt.date]:
    """Sorted dates, so customer numbers rise with the creation date."""
    out = []
    for _ in range(n):
        year = weighted(rng, YEAR_WEIGHTS)
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), LAST_DAY)
        out.append(start + dt.timedelta(days=rng.randint(0, (end - start).days)))
    return sorted(out)


def profiles(rng: random.Random, dates: list[dt.date]) -> list[tuple[str, str]]:
    """(country, channel) per customer, matching QUOTA exactly, shuffled."""
    pool = [(country, channel)
            for country, counts in QUOTA.items()
            for channel, count in zip(CHANNELS, counts)
            for _ in range(count)]
    assert len(pool) == N_CUSTOMERS
    rng.shuffle(pool)
    # Guarantee GB customers on both sides of 2021-01-01 (Brexit).
    early = [i for i, d in enumerate(dates) if d < BREXIT]
    late = [i for i, d in enumerate(dates) if d >= BREXIT]
    for side, other in ((early, late), (late, early)):
        if not any(pool[i][0] == "GB" for i in side):
            j = next(i for i in other if pool[i][0] == "GB")
            pool[side[0]], pool[j] = pool[j], pool[side[0]]
    return pool


def connector_for(rng: random.Random, channel: str) -> str:
    if channel == "webshop":
        return weighted(rng, WEBSHOP_CONNECTORS)
    if channel == "pos":
        return "lightspeed" if rng.random() < 0.70 else ""
    if channel == "import":
        return weighted(rng, IMPORT_CONNECTORS)
    if channel == "api":
        return "custom-erp"
    return ""


def company(rng: random.Random, country: str, city, sector: str, sole: bool,
            taken: set[str]) -> dict:
    """A company name not used before, with its own domain and a subsector."""
    for _ in range(50):
        firm = draw_company(rng, country, city, sector, sole)
        if firm["name"] not in taken and firm["domain"] not in taken:
            break
    else:
        # Same trading name elsewhere: the website usually carries the town.
        firm["domain"] = firm["domain"].replace(".", f"-{ascii_slug(city[0])}.", 1)
    taken.update((firm["name"], firm["domain"]))
    return firm


def draw_company(rng: random.Random, country: str, city, sector: str, sole: bool) -> dict:
    """Company name (with legal form), domain and subsector."""
    name, _codes, _area, town, loc = city
    locale = LOCALE[loc]
    template, subsector = rng.choice(locale["companies"][sector])
    surname = standalone_surname(rng.choice(locale["last"]))
    if surname.endswith("s"):  # possessive of a name ending in s
        template = template.replace("{S}'s ", "{S}' ").replace("{S}s ", "{S}' ")
    base = template.format(S=surname, T=town or name)
    if sector == "public":
        full = PUBLIC_NAME_FIXES.get(base, base)
        full = elide_french(full) if loc == "BE-fr" else full
        domain = company_domain(rng, full.removesuffix(" GmbH"), country, True)
        return {"name": full, "domain": domain,
                "subsector": subsector}
    legal = weighted(rng, locale["legal_sole" if sole else "legal"])
    full = f"{base} {legal}".strip()
    return {"name": full, "domain": company_domain(rng, base, country, False),
            "subsector": subsector}


def turnover_and_orders(rng: random.Random, b2b: bool, size: str, inactive: bool):
    if inactive:
        return 0.0, 0
    if b2b:
        median = {"1-9": 5000, "10-49": 10000, "50-249": 20000, "250+": 32000}.get(size, 8000)
        while True:
            turnover = rng.lognormvariate(0, 1.35) * median
            if turnover <= 250000:
                break
        order_value = rng.lognormvariate(0, 0.5) * 1400
        orders = max(1, min(60, round(turnover / order_value)))
    else:
        while True:
            turnover = rng.lognormvariate(0, 1.0) * 160
            if 5 <= turnover <= 3000:
                break
        order_value = rng.lognormvariate(0, 0.4) * 95
        orders = max(1, min(15, round(turnover / order_value)))
    return round(turnover, 2), orders


def make_customer(rng: random.Random, number: int, country: str, channel: str,
                  created: dt.date, taken: set[str], sectors: Deck) -> dict:
    row = dict.fromkeys(HEADER, "")
    info = COUNTRY[country]
    b2b = rng.random() < B2B_SHARE[channel]
    sector = sectors.draw() if b2b else ""
    public = sector == "public"
    city = pick_city(rng, country, need_town=public)
    locale = LOCALE[city[4]]

    row.update(id=str(number), country=country, channel=channel,
               connector=connector_for(rng, channel), currency=info["currency"],
               created_at=created.isoformat(), anonymised="false")
    row.update(address(rng, country, city, b2b))

    first, last = person(rng, locale)
    size = ""
    if b2b:
        size = rng.choices(COMPANY_SIZES, weights=SIZE_WEIGHTS[sector])[0]
        sole = not public and size == "1-9" and rng.random() < 0.4
        firm = company(rng, country, city, sector, sole, taken)
        row["name"] = firm["name"]
        row["attention"] = f"{first} {last}"
        fill_business_fields(rng, row, country, sector, size, sole, firm)
        fill_business_email(rng, row, locale, firm, sole, public, first, last,
                            created, taken)
    else:
        row["name"] = f"{first} {last}"
        row["payment_terms"] = "PREPAID" if channel == "webshop" else ""
        empty_mail = {"webshop": 0.01, "pos": 0.06}.get(channel, 0.03)
        if rng.random() >= empty_mail:
            row["email"] = unique(personal_email(rng, first, last, locale, created),
                                  taken, rng)
    fill_phones(rng, row, country, city, b2b)

    if rng.random() < 0.70:
        row["source"] = weighted(rng, SOURCES_B2B if b2b else SOURCES_B2C)

    # Customers without purchases in the last 12 months, more often old ones.
    age_years = (LAST_DAY - created).days / 365.25
    inactive = rng.random() < (0.03 if b2b else 0.08) + 0.02 * age_years
    turnover, orders = turnover_and_orders(rng, b2b, size, inactive)
    if rng.random() >= 0.10:
        row["attr.turnover_12m"] = money(turnover)
    if rng.random() >= 0.10:
        row["attr.orders_12m"] = str(orders)
    row["_b2b"] = b2b
    row["_public"] = public
    return row


def fill_business_fields(rng, row, country, sector, size, sole, firm) -> None:
    info = COUNTRY[country]
    if country in VAT and rng.random() < 0.97:
        row["vat_number"] = VAT[country](rng)
    if sector == "public":
        row["payment_terms"] = "NET30"
    else:
        row["payment_terms"] = weighted(rng, (("NET30", 45), ("NET14", 45), ("NET8", 10)))
    ladder = CREDIT_LIMITS[info["currency"]][COMPANY_SIZES.index(size)]
    row["credit_limit"] = money(rng.choice(ladder))
    if rng.random() < 0.93 or sector == "public":
        row["sector"] = sector
        if rng.random() < 0.55:
            row["subsector"] = firm["subsector"]
    if rng.random() < 0.85:
        row["company_size"] = size
    if sector == "public":
        row["business_type"] = "government"
    elif rng.random() < 0.95:
        row["business_type"] = "sole_trader" if sole else "company"
    if rng.random() < 0.10:
        fill_delivery_address(rng, row, country)


def fill_delivery_address(rng, row, country) -> None:
    target = country if rng.random() < 0.88 else rng.choice(NEIGHBOURS[country])
    city = pick_city(rng, target)
    addr = address(rng, target, city, True)
    row.update(delivery_street=addr["street"], delivery_postcode=addr["postcode"],
               delivery_city=addr["city"], delivery_country=target)


def fill_business_email(rng, row, locale, firm, sole, public, first, last,
                        created, taken) -> None:
    if rng.random() < 0.02:
        return
    if sole and rng.random() < 0.30:
        row["email"] = unique(personal_email(rng, first, last, locale, created), taken, rng)
        return
    domain = firm["domain"]
    if public:
        box = rng.choice(locale["mailbox_gov"])
    elif rng.random() < 0.15:
        box = ascii_slug(first)
    else:
        box = rng.choice(locale["mailbox"])
    row["email"] = unique(f"{box}@{domain}", taken, rng)
    extras = (("email_invoice", "invoice", 0.70 if public else 0.30),
              ("email_order", "order", 0.06), ("email_quote", "quote", 0.04),
              ("email_credit_note", "credit_note", 0.02),
              ("email_statement", "statement", 0.03))
    for column, key, chance in extras:
        if rng.random() < chance:
            extra = f"{rng.choice(locale[key])}@{domain}"
            row[column] = "" if extra == row["email"] else extra


def fill_phones(rng, row, country, city, b2b) -> None:
    if b2b:
        if rng.random() < 0.90:
            row["phone"] = landline(rng, country, city)
        if rng.random() < 0.45:
            row["mobile"] = mobile(rng, country, city)
        if rng.random() < 0.05:
            row["phone2"] = landline(rng, country, city)
        if rng.random() < (0.12 if country == "DE" else 0.025):
            row["fax"] = landline(rng, country, city)
        return
    r = rng.random()
    if r < 0.45:
        row["phone"] = mobile(rng, country, city)      # shop form "phone" field
    elif r < 0.70:
        row["mobile"] = mobile(rng, country, city)
    elif r < 0.85:
        row["phone"] = landline(rng, country, city)
        row["mobile"] = mobile(rng, country, city)
    if row["mobile"] and rng.random() < 0.01:
        row["phone2"] = mobile(rng, country, city)


# --------------------------------------------------------------------------
# Hand-set fields on a few rows
# --------------------------------------------------------------------------

ANONYMISED_BLANK = ("name", "attention", "email", "email_quote", "email_order",
                    "email_invoice", "email_credit_note", "email_statement",
                    "street", "postcode", "city", "delivery_street", "delivery_postcode",
                    "delivery_city", "phone", "phone2", "mobile", "fax", "vat_number", "ean")


def apply_manual_edits(rng: random.Random, rows: list[dict]) -> None:
    b2b = [r for r in rows if r["_b2b"]]

    # ~6 % of business customers supplied their GLN (no GS1 prefix for US here).
    with_gs1 = [r for r in b2b if COUNTRY[r["country"]]["gln"]]
    for r in rng.sample(with_gs1, round(0.06 * len(b2b))):
        r["ean"] = gln(rng, COUNTRY[r["country"]]["gln"])

    # ~5 % loyalty code set by hand in class5.
    for r in rng.sample(rows, round(0.05 * len(rows))):
        r["class5"] = rng.choice(("GOLD", "SILVER", "SILVER"))

    # ~3 % hand-set group, consistent with the customer; type stays empty.
    eligible = [r for r in rows if group_for(r)]
    for r in rng.sample(eligible, round(0.03 * len(rows))):
        r["group"] = group_for(r)

    # ~2 % of business customers are key accounts.
    for r in rng.sample(b2b, round(0.02 * len(b2b))):
        r["price_group"] = "KEY"

    # ~1 % of Dutch business customers are VAT exempt (public bodies first).
    nl = [r for r in b2b if r["country"] == "NL"]
    nl.sort(key=lambda r: not r["_public"])
    for r in nl[:max(1, round(0.01 * len(nl)))]:
        r["vat_zone"] = "domestic_exempt"

    # Three business customers booked on a separate receivables account.
    for r in rng.sample(b2b, 3):
        r["receivables_account"] = "1399"

    # Five old consumer accounts anonymised on request (GDPR).
    old = [r for r in rows if not r["_b2b"] and r["created_at"] < "2022-01-01"]
    for r in rng.sample(old, 5):
        anonymise(r)


def group_for(row: dict) -> str:
    if row["_b2b"]:
        return GROUP_FOR[("B2B", row["country"])]
    return GROUP_FOR.get(("B2C", row["channel"]), "")


def anonymise(row: dict) -> None:
    for column in ANONYMISED_BLANK:
        row[column] = ""
    row["anonymised"] = "true"
    # Kept: country, channel, connector, classes, created_at and attributes.
    row["attr.turnover_12m"] = "0.00"
    row["attr.orders_12m"] = "0"


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def generate() -> list[dict]:
    rng = random.Random(SEED)
    dates = created_dates(rng, N_CUSTOMERS)
    mix = profiles(rng, dates)
    taken: set[str] = set()
    sectors = Deck(rng, SECTORS)
    rows = [make_customer(rng, FIRST_ID + i, country, channel, dates[i], taken, sectors)
            for i, (country, channel) in enumerate(mix)]
    apply_manual_edits(rng, rows)
    for r in rows:
        assert not r["ean"] or gln_is_valid(r["ean"]), r["ean"]
    return rows


def write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL,
                            lineterminator="\n")
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow([r[c] for c in HEADER])


def main() -> None:
    rows = generate()
    write(rows, OUTPUT)
    print(f"wrote {len(rows)} customers to {OUTPUT}")


if __name__ == "__main__":
    main()
