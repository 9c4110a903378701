"""The rule table of the passage kinds (ingest/kinds.py reads it): the kinds, the weights of the
three signals, the evidence words, and per kind the heading, cue-phrase and list patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("les", "aanbeveling", "pluspunt", "minpunt", "knelpunt", "resultaat", "werkwijze", "achtergrond")
# Bump when the rules change: it is part of the ingest fingerprint, so `wijkwijs ingest`
# re-labels every document (the vectors are reused; only the metadata changes).
KINDS_VERSION = 13
EVALUATIVE = KINDS[:6]  # what was learned, advised, valued, missed, met on the way, achieved
DESCRIPTIVE = KINDS[6:]  # how it works, and why

# Equal scores and no heading to decide: what was done before what it achieved ("De Drecht":
# a list of projects that "tot stand gekomen" and "uitgevoerd" were is a plan, not a result).
TIE_ORDER = ("les", "aanbeveling", "pluspunt", "minpunt", "knelpunt", "werkwijze", "resultaat", "achtergrond")
GEEN = "geen"  # pseudo-kind: the passage is no content (links, colophon, sources)
OPEN = "open"  # pseudo-kind for headings: "judge this part by its text"
MIN_SCORE = 2
HEADING_WEIGHT = 3
LINE_WEIGHT = 2
REDUCED_WEIGHT = 1.5  # a heading whose evidence the text lacks (see Rule.requires)
THIN_WEIGHT = 2  # a heading with a single word of evidence
MAX_CUES = 3
LIST_INTRO_MAX_WORDS = 20

# Evidence that a passage under a results heading names something achieved.
ACHIEVED = (
    r"\d+\s?(%|procent)|\b(gestegen|toegenomen|afgenomen|gedaald|verbeterd|vergroot|bespaard|geopend|opgericht"
    r"|ondertekend|ingericht|gerealiseerd|bereikt|behaald|uitgevoerd|ontwikkeld tot|inmiddels"
    r"|tot stand gekomen|van de grond|school gemaakt|vruchten|tevreden|lukte|gelukt|succes\w*|resultaten?"
    r"|resulteerde|geleid tot|opgeleverd|grote slagen|dankzij|sneller|meerwaarde|zichtbaar|blij|realiseerde"
    r"|verbreedt|verbreed|groeit|gegroeid|neemt toe|nam toe|ondertekenen|van start|gestart|opende|ontstond"
    r"|merken|minder uren|verstevigd|versterkt|gebleken|opbrengst\w*|gevormd|leidt tot|leidde tot|afname|toename"
    r"|toont aan|blijkt)\b"
    r"|\b\d[\d.]* (woningen|cliënten|gezinnen|bezoekers|initiatieven|deelnemers|professionals|vrijwilligers)\b"
)
# Evidence that a passage under an obstacles heading names a difficulty.
DIFFICULT = (
    r"\b(moeilijk\w*|lastig\w*|hobbel\w*|probleem|problemen|knelpunt\w*|belemmer\w*|obstakel\w*|uitdaging\w*"
    r"|spannend|spanning\w*|worstel\w*|zorgen|vooroordel\w*|verwarring|spraakverwarring|risico\w*"
    r"|ingewikkeld|gebrek|weerstand|frictie|onbegrip|escal\w*|hindernis\w*|werken tegen|tegen(aan)?"
    r"|vraagt (aandacht|om)|aandachtspunt\w*|complex|kost (veel )?tijd|niet (altijd )?(makkelijk|eenvoudig))\b"
)

# Imperative openings of list items ("Zorg voor …"): advice, whatever the heading calls it.
_IMPERATIVE = (
    r"(zorg|kijk|ga|breng|organiseer|maak|investeer|geef|houd|houdt|kies|beoordeel|beperk|sluit|doorkruis"
    r"|vind|wijs|communiceer|weet|begin|laat|zoek|richt|faciliteer|besluit|actualiseer|koester|werk|denk"
    r"|draag|sta|benut|betrek|voorkom|vermijd|prikkel|daag|stel|lanceer|vul|bepaal|leer|durf)\b"
)

IMPERATIVE_START = re.compile(_IMPERATIVE, re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    kind: str  # one of KINDS, GEEN, or (headings only) OPEN
    signal: str  # "kop": headings and heading-like lines; "zin": cue phrase; "lijst": list items
    pattern: str
    requires: str | None = None  # kop: without this evidence in the text the heading weighs less
    nested: bool = True  # kop, descriptive kinds: still counts below an evaluative heading
    max_words: int | None = None  # kop: only headings this short (longer ones are sentences)
    why: str = ""


# Heading rules are tried in this order; the first that matches a heading counts.
RULES: list[Rule] = [
    # --- headings: not content ---
    Rule(GEEN, "kop", r"meer weten|meer informatie|bronnen|bronnenoverzicht|literatuur|colofon|over de auteurs"
         r"|verantwoording|publicaties|vragenlijst|geïnterviewden|interviewpartners|inhoudsopgave|bijlage i\b",
         why="links, bronnen en colofon zijn geen les of resultaat"),
    # --- headings: the process steps of a practice case (before "urgentie", which they contain) ---
    Rule("werkwijze", "kop", r"gedeelde (urgentie|visie)|gezamenlijke (verantwoordelijkheid|visie|analyse|ambitie)"
         r"|unieke processtappen|proces van samenwerken",
         why="'Gedeelde urgentie, gezamenlijke verantwoordelijkheid' is een processtap, geen achtergrond"),
    # --- headings: evaluative ---
    Rule("les", "kop", r"\bles(sen)?\b|geleerd|leerervaring\w*|leerpunt\w*|werkzame principes|succesfactor\w*"
         r"|wat werkt|randvoorwaarden|basisvoorwaarden"),
    Rule("aanbeveling", "kop", r"aanbeveling\w*|^advie(s|zen)\b|(ons|het) advies|aandachtspunten|adviespunten"
         r"|\btips?\b|suggesties"),
    Rule("knelpunt", "kop", r"beren op de weg|waar werd het moeilijk|knelpunt\w*|belemmering\w*|obstakel\w*"
         r"|hobbels|spanningsveld|ontbreken\b", requires=DIFFICULT),
    Rule("minpunt", "kop", r"minpunt\w*|niet gerealiseerd|zwakke punten|nadelen|beperkingen"),
    Rule("pluspunt", "kop", r"pluspunt\w*|sterke punten|voordelen|kansen\b"),
    Rule("resultaat", "kop", r"wat is (er )?bereikt|\bresultaten\b|eerste resultaten|opbrengst\w*|voortgang"
         r"|korte terugblik|wat (is|werd) (er )?gerealiseerd", requires=ACHIEVED),
    # looking back as a whole: the text decides between plus, min, lesson and result
    Rule(OPEN, "kop", r"terugblik|conclusie\w*|bevindingen|evaluatie|samenvatting|olifantenpaadjes",
         why="een terugblik beschrijft niet, hij oordeelt: de tekst beslist"),
    # --- headings: context ---
    Rule("achtergrond", "kop", r"^(voorwoord|inleiding|aanleiding|leeswijzer|context|achtergrond)\b"
         r"|urgentie|onderzoeksvragen|onderzoeksproces|afbakening|quickscanvragen|korte toelichting"
         r"|situatieschets|het begrip|definitie|kernwaarden|wenkend perspectief|perspectie(f|ven) (voor|van)"
         r"|programma langer thuis|sociale basis"),
    # --- headings: how it works ---
    # Named parts of an approach, also inside a chapter of lessons ("3. Lessen › 3.2 Acties en rollen").
    Rule("werkwijze", "kop", r"werkwijze|acties en rollen|wat doen we|^project|projecten waar|praktijkvoorbeeld"
         r"|uitwerking|jaarplan|ondersteuning en begeleiding|wonen en woonomgeving|leefomgeving|processtappen"),
    # Descriptive words: only in short headings, and not under an evaluative heading, where
    # "4.2 Open en flexibele samenwerkingsverbanden … op gang brengen" is the title of a lesson.
    Rule("werkwijze", "kop", r"werking|aanpak|methode|organisatie|uitvoering|financiering|bekostiging"
         r"|monitor\w*|borging|sturing|governance|samenstelling|^(de )?rol(len)? van|co-creatie"
         r"|pilots?\b|overleg|plan(nen)? van aanpak|communicatie|toegang|netwerk\w*|deskundigheid\w*"
         r"|convenant\w*|samenwerking\w*|procesbegeleid\w*|instrument\w*|werkgroep\w*|teams?\b"
         r"|initiatieven|activiteiten", nested=False, max_words=4),

    # --- cue phrases in the text ---
    Rule("les", "zin", r"\bles(sen)?\b|geleerd|leerervaring\w*|lering\b|succesfactor\w*|werkzame principes"
         r"|randvoorwaarde\w*|(is|zijn) (essentieel|cruciaal|onmisbaar)|het belangrijkste is|rode draad"
         r"|leren van elkaar|van elkaar (te )?leren|tot de conclusie gekomen|\w*conclusies?\b"),
    Rule("aanbeveling", "zin", r"aanbeveling\w*|\badvie(s|zen)\b|adviseren|adviseert|bevelen .{0,20}aan"
         r"|raden .{0,20}aan|zou(den)? moeten|aan te bevelen|suggesties?\b|aandachtspunt\w*|geopperd"
         r"|ons voorstel|het voorstel"),
    Rule("pluspunt", "zin", r"pluspunt\w*|positief|positieve|gewaardeerd|waardering|waardevol\w*|meerwaarde"
         r"|voordeel|voordelen|kansrijk\w*|\bkansen\b|trots|sterke punten|elkaar beter (te )?vinden"
         r"|enthousiast\w*|breed gedragen"),
    Rule("minpunt", "zin", r"minpunt\w*|niet gerealiseerd|\bte (statisch|aanbodgericht|idealistisch|blauwdrukachtig"
         r"|formeel|weinig)\b|onvoldoende|maar beperkt|beperkt (lukt|onderdeel|gericht)|niet (zinvol|meer van deze"
         r" tijd|doorontwikkeld|doorgezet|opgepakt|uitgevoerd|tot stand|gehaald|geleid)|geen (leidend|nieuwe"
         r" duurzame|antwoord|ruimte|bestuurlijke)|weinig (binding|gericht|dynamisch|onderling|dwarsverbanden"
         r"|contact)|ontkrachting|hinderlijk|teleurgesteld|gemiste kans|misten|los (staat|staan) van"
         r"|kanttekening\w*|losgelaten|zeer beperkt|ontbeerden|slechts \d+\s?(%|procent)|geen eenduidig\w*"),
    Rule("knelpunt", "zin", r"knelpunt\w*|obstakel\w*|hobbel\w*|belemmer\w*|beren op de weg|moeilijk\w*"
         r"|lastig\w*|ingewikkeld|uitdaging\w*|spanning\w*|worstel\w*|vooroordel\w*|spraakverwarring"
         r"|weerstand|frictie|risico\w*|tegenaan|vastgelopen|liep\w* vast|werken tegen|gebrek aan"
         r"|concurre\w*|onduidelijk\w*|hindernis\w*|bouwcrisis|onder druk|vraagt aandacht|complex"
         r"|niet (altijd )?(makkelijk|eenvoudig)|kost (veel )?tijd"),
    Rule("resultaat", "zin", r"\d+\s?(%|procent\b)|\b(gestegen|toegenomen|afgenomen|gedaald|bespaard|geopend"
         r"|ondertekend|gerealiseerd|bereikt|behaald|uitgevoerd|tot stand gekomen|van de grond gekomen"
         r"|school gemaakt|vruchten af\w*|tevreden|resulteerde|heeft geleid tot|opgeleverd|inmiddels"
         r"|eerste resultaten|concreet bereikt|vergroot|verbeter(d|t))\b|\b\d[\d.]* (woningen|cliënten|gezinnen|bezoekers"
         r"|initiatieven|deelnemers|professionals|vrijwilligers)\b"),
    Rule("werkwijze", "zin", r"werkwijze|samenwerkingsverband|convenant|stuurgroep|projectgroep|werkgroep\w*"
         r"|\bis een (samenwerkingsverband|coalitie|netwerk|plek|organisatie|stichting|project|concept|methode)"
         r"|bestaat uit|werkt (vanuit|met|samen)|zorgt (voor|ervoor)|richt zich op|heeft als (hoofd)?doel"
         r"|\bdoel is\b|\bgericht op\b"
         r"|regie\b|regierol|coördinat\w*|financier\w*|budget\w*|subsidie\w*|\baanpak\b|methode|methodiek"
         r"|pilot\w*|projectleider|procesbegeleid\w*|procesmanager|overleg\w*|werkafspraken|prestatieafspraken"
         r"|wijkteam\w*|monitor\w*|indicatoren|instrument\w*|bijeenkomst\w*|werken (samen|vanuit)"),
    Rule("achtergrond", "zin", r"aanleiding|\bcontext\b|ontwikkelingen|decentralisatie\w*|bezuiniging\w*"
         r"|beleidskader\w*|koersbesluit|participatiesamenleving|verzorgingsstaat|vergrijzing|woningmarkt"
         r"|urgentie|in dit hoofdstuk|in deze rapportage|leeswijzer|onderzoeksvragen|\bdefinitie\b"
         r"|sociaaleconomische|kerncijfers|inwoners telt|telt (ruim |bijna |circa )?\d"),
    Rule(GEEN, "zin", r"aansprakelijkheid|mits de bron wordt vermeld|alle rechten voorbehouden",
         why="colofon-tekst"),

    # --- list structure ---
    Rule("aanbeveling", "lijst", _IMPERATIVE, why="lijstpunten die met een gebiedende wijs beginnen"),
]
