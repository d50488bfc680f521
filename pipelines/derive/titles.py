"""Job title → the seniority it claims (``title_level``), its function, and whether the role
manages people.

The scale (DOMAIN.md): 1 intern; 2 entry; 3 mid (a bare role like "Software Engineer");
4 senior individual contributor; 5 lead / principal / staff; 6 manager; 7 senior manager,
head of, associate director; 8 director; 9 senior director; 10 vice president; 11 SVP / EVP;
12 C-level, president, CEO.

A title is read from its matching key (``title_key``: folded, abbreviations expanded, gender
tags off), so "Sr. Dir., Comms" and "Senior Director Communications" read alike. The *rank*
word sets the level (the highest rank in the title: "Director of Product Management" is a
director); a *modifier* in front of it moves it ("senior" manager, "associate" director,
"deputy" head); a grade moves an individual contributor ("Analyst II"). A few phrases name a
rank they do not hold ("Executive Assistant to the CEO", "Account Executive"). Each level
keeps the words that set it, so the page can say why. Titles in German, French, Spanish,
Portuguese, Italian, Dutch, Japanese and Chinese are read with the same rules. A title with no
rank and no role word ("TBD", "various") stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipelines.normalize.text import title_key
from pipelines.textfold import fold_pattern


def _words(*alternatives: str) -> str:
    """Alternatives as whole words (Chinese and Japanese words need no spaces around them)."""
    return r"(?:(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w))"


def _cjk(*alternatives: str) -> str:
    """Alternatives in Chinese or Japanese, folded like the title keys (no voicing marks)."""
    return "(?:" + "|".join(fold_pattern(a) for a in alternatives) + ")"


# Titles whose level is fixed by the phrase, whatever else they say: (pattern, level).
_FIXED = [
    (_words(r"(executive|personal|administrative|team) assistant( to)?( the)?( \w+)?",
            r"assistant to", r"(ea|pa) to", r"secretary to", r"assistenz\w*"), 2),
    (_words(r"summer (intern|analyst|associate)s?", r"intern(ship)?s?", r"co ?op",
            r"placement( student| year)?", r"werkstudent\w*", r"\w*praktik\w*",
            r"stagiaire", r"stagiair", r"becari[oa]", r"practicante", r"pasante",
            r"estagiari[oa]", r"tirocinante", r"stagista", r"working student",
            r"(spring|summer) (insight|week)\w*", r"insight (programme|program|week)",
            r"stazyst\w*",
            r"alternant\w*", r"apprentissage")
     + "|" + _cjk(r"インターン", r"实习生?"), 1),
    (_words(r"ausbildung\w*", r"auszubildende\w*", r"azubi", r"apprentice\w*"), 2),
    (_words(r"chief of staff"), 7),
    (_words(r"general counsel"), 12),
    (_words(r"vice chair\w*"), 11),
    (_words(r"chair(man|woman|person)?( of the board)?", r"board chair"), 12),
    (_words(r"gerente general", r"directeur general adjoint", r"director general adjunto",
            r"deputy (ceo|chief executive)"), 11),
    (_words(r"managing partner", r"senior partner"), 12),
    (_words(r"managing director", r"md", r"^(equity |salaried )?partner"), 11),
    (_words(r"general manager", r"gm", r"country manager"), 8),
    (_words(r"president(,)? (of )?(north america|latin america|emea|europe|apac|asia|"
            r"americas|international|us|uk|\w+ (division|region|business))"), 11),
    (_words(r"executive director(?= \w)"), 9),
]
for _index, (_pattern, _level_) in enumerate(_FIXED):
    if _level_ == 11 and "gerente" in _pattern:
        _FIXED[_index] = (_pattern.replace(r"gerente general|", ""), 11)
_FIXED.insert(0, (_words(r"gerente general"), 12))

# Rank words, highest first: (pattern, level, kind). The first that matches is the rank.
_RANKS = [
    (_words(r"chief( \w+){1,3} officer", r"chief (executive|operating|financial|technology|"
            r"marketing|people|revenue|product|data|information|digital|communications?|"
            r"strategy|commercial|customer|growth|legal|risk|security|medical|nursing|"
            r"scientific|creative|design)\w*", r"c[a-z]o", r"c[a-z]{2}o", r"cxo",
            r"(?<!vice )(?<!vize)(?<!vice)pr[ae]sident(e|in)?(?! of)", r"founder",
            r"co ?founder", r"(?<!product )owner", r"geschaftsfuhrer\w*",
            r"vorstand\w*", r"pdg", r"director[ae]? general", r"directeur general",
            r"directrice generale", r"direttore generale", r"diretora? geral",
            r"diretor presidente", r"algemeen directeur", r"consejer[oa] delegad[oa]",
            r"amministratore delegato", r"executive director", r"prezes( zarzadu)?",
            r"verkstallande direktor", r"vd")
     + "|" + _cjk(r"(?<!副)社長", r"代表取締役", r"总经理", r"(?<!副)总裁", r"首席\w+官"),
     12, "c_level"),
    (_words(r"senior vice president", r"executive vice president", r"group vice president",
            r"svp", r"evp") + "|" + _cjk(r"取締役", r"执行副总裁"), 11, "svp"),
    (_words(r"avp", r"(assistant|associate) vice president"), 9, "avp"),
    (_words(r"vice president\w*", r"vice presidente?", r"vicepresidente", r"vizeprasident\w*",
            r"president of") + "|" + _cjk(r"副社長", r"副总裁"), 10, "vp"),
    (_words(r"editor in chief", r"chefredakteur\w*", r"redactora? jef[ea]"), 8, "director"),
    (_words(r"(?<!art )director[ae]?s?", r"directeur", r"directrice", r"\w*direktor(in)?",
            r"direttore", r"direttrice", r"diretor[a]?", r"bereichsleiter\w*")
     + "|" + _cjk(r"部長", r"本部長", r"总监", r"ディレクター"), 8, "director"),
    (_words(r"head( of)?", r"\w*hoofd", r"leitung", r"sub ?director[ae]?( general)?",
            r"sub ?diretor[a]?", r"vice ?directeur", r"vice ?director[a]?",
            r"(abteilungs)?leiter(in)?",
            r"(?!team|gruppen|projekt)\w+leiter(in)?", r"jefe de (area|departamento|division)",
            r"responsable de departement") + "|" + _cjk(r"次長", r"次长"), 7, "head"),
    (_words(r"\w*manager", r"managerin", r"gerente", r"responsable", r"responsabile",
            r"jef[ea]", r"kierownik\w*", r"teamleider", r"teamleiter\w*", r"gruppenleiter\w*",
            r"capo", r"managing editor", r"gerent[ea]",
            r"(?<!sous )(?<!de )chef(?! de (partie|projet|rang))")
     + "|" + _cjk(r"課長", r"经理", r"主管", r"マネージャー"), 6, "manager"),
    (_words(r"(team |shift )?(lead|leader)", r"principal", r"staff (?!nurse|accountant)\w+",
            r"(technical|senior|distinguished) fellow", r"distinguished( \w+)?", r"supervisor\w*",
            r"charge nurse", r"sous chef", r"assistant manager") + "|" + _cjk(r"係長"),
     5, "lead"),
]

# Managers of work rather than of people, and other roles with a set rung: (pattern, level).
_IC_ROLES = [
    (_words(r"assistant professor"), 3),
    (_words(r"key account manager", r"art director", r"\w*architect", r"audit senior",
            r"associate professor"), 4),
    (_words(r"professor"), 5),
    (_words(r"(product|project|programme|program|account|case|community|social media|"
            r"content|campaign|relationship|client|partnerships?|portfolio|category|channel|"
            r"release|delivery|property|events?|office|customer success|"
            r"product marketing|it project|crm|seo|ppc|grants?) manager",
            r"projektmanager", r"chef de projet",
            r"gerente de (proyectos?|projetos?|cuentas?|contas?|producto|produto)",
            r"account executive", r"ejecutivo de cuentas", r"coordinador[a]?",
            r"coordenador[a]?", r"coordinatore", r"coordinatrice",
            r"\w+ partner", r"product owner", r"chef de partie", r"associate (attorney|scientist)",
            r"pm", r"research fellow", r"member of technical staff", r"postdoc\w*")
     + "|" + _cjk(r"产品经理"), 3),
    (_words(r"(sales|warehouse|retail|store|research) associate", r"\w+ executive",
            r"exec", r"(sales|support|service|customer|inside sales) rep\w*", r"sdr", r"bdr",
            r"representative", r"paralegal", r"secretary", r"help ?desk \w+",
            r"(policy|graduate) fellow", r"data entry \w+", r"\w*medewerker klant\w*",
            r"medewerker", r"customer services? consultant", r"barista", r"driver",
            r"cashier", r"clerk", r"receptionist", r"hochschulabsolvent\w*"), 2),
]
# Any other role: a role noun, in any of the languages, or a word shaped like one.
_ROLE = _words(
    r"engineer\w*", r"developer", r"dev", r"programmer", r"analyst", r"specialist",
    r"associate", r"officer", r"consultant", r"designer", r"scientist", r"accountant",
    r"executive", r"advis[oe]r", r"writer", r"editor", r"planner", r"strategist",
    r"researcher", r"administrator", r"admin", r"technician", r"nurse", r"teacher",
    r"lecturer", r"tutor", r"counsel", r"lawyer", r"attorney", r"solicitor", r"recruiter",
    r"buyer", r"auditor", r"controller", r"economist", r"statistician", r"marketer", r"agent",
    r"operator", r"producer", r"journalist", r"reporter", r"photographer", r"illustrator",
    r"animator", r"\w*therapist", r"physician", r"doctor", r"pharmacist", r"sre", r"devops",
    r"swe", r"sde", r"product owner", r"scrum master", r"generalist", r"coach", r"trainer",
    r"instructor", r"investigator", r"inspector", r"surveyor", r"bookkeeper", r"librarian",
    r"social worker", r"caseworker", r"fundraiser", r"campaigner", r"\w*ingenieur\w*",
    r"\w*entwickler\w*", r"\w*berater\w*", r"\w*referent\w*", r"sachbearbeiter\w*",
    r"\w*mitarbeiter\w*", r"redakteur\w*", r"\w*informatiker\w*", r"\w*anwalt\w*",
    r"\w*kaufmann", r"\w*kauffrau", r"analyste", r"charge[e]? d\w*", r"ingenier[oa]",
    r"desarrollador\w*", r"analista", r"especialista", r"consultor\w*", r"tecnic[oa]",
    r"asesor\w*", r"assessor\w*",
    r"\w*medewerker", r"adviseur", r"ontwikkelaar", r"impiegat[oa]", r"sviluppatore",
    r"specialiste", r"conseill(er|ere)", r"educat(or|rice)", r"avocat\w*", r"gestionnaire",
    r"ejecutiv[oa]", r"cook", r"\w*pflege\w*",
    r"enfermer[oa]", r"sjukskoterska", r"comptable", r"commess[oa]",
    r"programista", r"specjalista", r"ksi[eę]gow\w*", r"\w*utvecklare", r"saljare",
    r"\w*handlaggare",
    r"radgivare", r"konsult", r"\w*fachkraft", r"kellner\w*", r"verkaufer\w*") + "|" + _cjk(
    r"エンジニア", r"サイエンティスト", r"アナリスト", r"デザイナー", r"コンサルタント",
    r"担当", r"専門職", r"工程师", r"专员", r"分析师", r"开发", r"师", r"员")
# Failing a known role word, a word shaped like one ('Electrician', 'Barista', 'Allrounder').
_ROLE_SHAPE = _words(r"\w*(ist|ian|eur|euse|ista|ologist)",
                     r"(?!senior|junior|major|minor|career|other|manager|power)\w{3,}(er|or)")
_ENTRY = _words(r"m[lł]odsz\w*", r"assistant\w*", r"assistent\w*", r"assistente",
                r"asistente", r"coordinator", r"junior", r"trainee",
                r"graduate", r"grad", r"entry level", r"auxiliar", r"new grad") + "|" + _cjk(
                r"助理", r"アシスタント")
_NOT_A_ROLE = re.compile(_words(r"n a", r"na", r"tbd", r"tbc", r"various", r"see \w+",
                                r"unknown", r"multiple( roles)?", r"\w+ (job|role)",
                                r"initiativbewerbung", r"open application", r"https?\w*( \w+)*",
                                r"career break( \w+)*", r"(parental|maternity|paternity) "
                                r"leave", r"sabbatical", r"auf jobsuche", r"unemployed",
                                r"job ?seeking", r"looking for work")
                         + "|" + _cjk(r"待定"))
_SENIOR = _words(r"senior", r"sen", r"snr", r"sr", r"experienced", r"starsz\w*") + "|" + _cjk(
    r"主任", r"高级", r"资深", r"シニア")
_RANGE = re.compile(_words(r"mid( level)? senior", r"senior mid( level)?"))
# Modifiers in front of a rank, at most two words before it: (pattern, {rank kind: level}).
_NEAR = r"(\s+(?!and\b|of\b|to\b|for\b)\w+){0,2}\s*$"
_MODIFIERS = [
    (_words(r"associate", r"assistant", r"deputy", r"sub", r"adjoint\w*",
            r"stellvertretende\w*", r"adjunt[oa]", r"vice") + "|" + _cjk(r"副"),
     {"c_level": 11, "svp": 10, "director": 7, "head": 6, "manager": 5}),
    (_SENIOR, {"svp": 11, "vp": 11, "director": 9, "head": 7, "manager": 7}),
    (_words(r"executive"), {"vp": 11, "director": 9}),
    (_words(r"junior", r"jr"), {"manager": 5, "lead": 4}),
]
_PEOPLE_LEAD = _words(r"team (lead|leader)", r"supervisor\w*", r"charge nurse", r"sous chef",
                      r"assistant manager", r"shift \w+", r"係長")
_LEAD_IC = _words(r"lead", r"principal", r"staff(?! nurse| accountant)")
# Grades after the role: 'Analyst II', 'SDE 1', 'Engineer, L5' (Google-style ladder).
_NOT_A_GRADE = r"(?! ?(months?|mo|years?|yrs?|weeks?|days?|hours?|hrs?|h|k|m)\b)"
_GRADES = [(_words(r"i", r"1" + _NOT_A_GRADE, r"l3"), 2),
           (_words(r"ii", r"2" + _NOT_A_GRADE, r"l4"), 3),
           (_words(r"iii", r"3" + _NOT_A_GRADE, r"l5"), 4),
           (_words(r"iv", r"4" + _NOT_A_GRADE, r"l6", r"l7"), 5)]


# Functions, the more specific first; general management only when no other is named.
FUNCTIONS = [
    ("administration", _words(r"(executive|personal|administrative|office) assistant\w*",
                              r"assistant to", r"assistenz\w*", r"secretar\w*", r"receptionist",
                              r"office (manager|administrator|coordinator)", r"data entry",
                              r"clerical", r"verwaltung\w*", r"administrative",
                              r"admin assistant")),
    ("customer_success", _words(r"customer (success|support|service|services|experience|care)",
                                r"client (services|success|support)", r"implementation",
                                r"onboarding", r"technical support", r"kundenservice",
                                r"klantenservice", r"service client", r"atencion al cliente",
                                r"call cent(er|re)", r"contact cent(er|re)")),
    ("it", _words(r"it", r"ict", r"information technology", r"system(s)? admin\w*", r"network\w*",
                  r"help ?desk", r"service ?desk", r"desktop support", r"it support", r"cio",
                  r"ciso", r"cyber\w*", r"(information |it )?security", r"sysadmin",
                  r"\w*informatiker\w*", r"informatique", r"informatica", r"infrastructure")),
    ("hr", _words(r"hr", r"hris", r"human resources", r"people( and culture| operations| ops|"
                  r" partner| team| officer)?(?= |$)", r"talent( acquisition)?", r"recruit\w*",
                  r"payroll", r"paie", r"personal\w*", r"rrhh", r"recursos humanos",
                  r"ressources humaines", r"chro", r"learning and development",
                  r"compensation and benefits", r"workforce") + "|" + _cjk(r"人事")),
    ("legal", _words(r"legal", r"counsel", r"lawyer", r"attorney", r"solicitor", r"paralegal",
                     r"compliance", r"jurist\w*", r"abogad[oa]", r"avocat\w*", r"\w*anwalt\w*",
                     r"law", r"m (and )?a", r"litigation", r"clo") + "|" + _cjk(r"法務", r"法务")),
    ("finance", _words(r"financ\w*", r"accountant", r"accounting", r"accounts (payable|"
                       r"receivable)", r"controller", r"controlling", r"fp (and )?a", r"treasur\w*",
                       r"audit\w*", r"tax", r"bookkeep\w*", r"cfo", r"\w*buchhalt\w*",
                       r"comptab\w*", r"contab\w*", r"\w*finanz\w*", r"investor relations",
                       r"investment( banking)?", r"equity research", r"credit( risk)?",
                       r"loan", r"banking", r"global markets", r"amministrativ\w*", r"actuar\w*",
                       r"underwrit\w*") + "|" + _cjk(r"経理", r"财务", r"会计")),
    ("communications", _words(r"communica\w*", r"comms", r"\w*kommunikation\w*", r"pr",
                              r"public relations", r"press", r"media relations",
                              r"public affairs", r"corporate affairs", r"spokes\w*",
                              r"comunica\w*", r"communicatie\w*", r"internal comms",
                              r"journalist", r"reporter", r"editor\w*", r"redakteur\w*")
     + "|" + _cjk(r"広報", r"公关")),
    ("data", _words(r"data", r"analytics", r"bi", r"business intelligence", r"machine learning",
                    r"ml", r"ai", r"statistic\w*", r"daten\w*", r"donnees", r"datos", r"dados",
                    r"insights?", r"business analyst", r"data scien\w*", r"cdo")
     + "|" + _cjk(r"数据")),
    ("engineering", _words(r"engineer\w*", r"developer", r"dev", r"software", r"programmer",
                           r"devops", r"sre", r"swe", r"sde", r"architect", r"full ?stack",
                           r"front ?end", r"back ?end", r"cto", r"\w*entwickler\w*",
                           r"\w*ingenieur\w*", r"ingenier[oa]", r"ingegnere", r"ontwikkelaar",
                           r"desarrollador\w*", r"desenvolvedor\w*", r"sviluppatore",
                           r"developpeur\w*", r"engenharia", r"ingenieria", r"technology",
                           r"tech lead", r"technical (staff|fellow)", r"platform")
     + "|" + _cjk(r"エンシニア", r"工程师", r"开发")),
    ("design", _words(r"\w*design\w*", r"ux", r"ui", r"user experience", r"creative",
                      r"art director", r"illustrat\w*", r"motion graphics?", r"animator",
                      r"dise[nñ]ador\w*", r"progettista", r"architett\w*", r"graphic\w*")
     + "|" + _cjk(r"デザイン", r"设计")),
    ("product", _words(r"product (manager|owner|management|lead|director|operations)",
                       r"product(?! marketing)", r"pm", r"apm", r"cpo") + "|" + _cjk(r"产品")),
    ("marketing", _words(r"marketing", r"brand\w*", r"growth", r"seo", r"sem", r"ppc",
                         r"demand gen\w*", r"content", r"social media", r"community manager",
                         r"copywrit\w*", r"campaign\w*", r"mercadotecnia", r"marketer", r"cmo",
                         r"events?", r"\w*marketing\w*") + "|" + _cjk(r"マーケティング", r"市场")),
    ("sales", _words(r"sales", r"account executive", r"business development", r"bdr", r"sdr",
                     r"account manager", r"key account\w*", r"\w*vertrieb\w*", r"ventas",
                     r"ventes", r"vendite", r"vendas", r"commercial\w*", r"comercial",
                     r"ejecutivo de cuentas", r"cro", r"revenue", r"store", r"retail",
                     r"innendienst", r"aussendienst", r"\w*verkauf\w*",
                     r"\w*verkauf\w*", r"verkoop\w*") + "|" + _cjk(r"営業", r"销售")),
    ("operations", _words(r"operations", r"ops", r"supply chain", r"logisti\w*",
                          r"procurement", r"purchasing", r"buyer", r"facilities",
                          r"project manag\w*", r"program\w* manag\w*", r"projektmanag\w*",
                          r"proyectos?", r"projetos?", r"progett\w*", r"programme officer",
                          r"process\w*", r"quality", r"\w*betrieb\w*", r"operaciones",
                          r"operations?", r"\w*einkauf\w*", r"achats", r"compras",
                          r"coo", r"chief operating\w*", r"warehouse", r"transport\w*",
                          r"shift", r"rse", r"fulfil\w*", r"inventory", r"delivery")),
    ("research", _words(r"research\w*", r"scientist", r"\w*forsch\w*", r"recherche",
                        r"estudios", r"investigacion", r"pesquisa\w*", r"studi",
                        r"investigador\w*", r"policy", r"lab", r"laboratory")
     + "|" + _cjk(r"研究")),
    ("education", _words(r"teacher", r"lecturer", r"professor", r"tutor", r"educat\w*",
                         r"instruct\w*", r"\w*lehrer\w*", r"enseignant\w*", r"profesor\w*",
                         r"docente", r"teaching", r"school", r"curriculum", r"student services",
                         r"academic\w*", r"faculty")),
    ("healthcare", _words(r"nurse", r"nursing", r"physician", r"clinical", r"medical",
                          r"doctor", r"pharmac\w*", r"\w*therap\w*", r"health\w*", r"patient",
                          r"care (worker|assistant)", r"case manager", r"\w*pflege\w*", r"arzt",
                          r"medecin", r"enfermer\w*", r"physio\w*")),
    ("consulting", _words(r"consult\w*", r"\w*berater\w*", r"advisory", r"engagement manager",
                          r"partner", r"managing partner")),
    ("general_management", _words(r"chief executive\w*", r"ceo", r"(?<!vice )president", r"founder",
                                  r"co ?founder", r"owner", r"general manager", r"gm",
                                  r"managing director", r"\w*geschaftsfuhr\w*",
                                  r"director[ae]? general", r"directeur general",
                                  r"gerente general", r"chief of staff", r"executive director",
                                  r"pdg", r"country manager", r"amministratore delegato",
                                  r"algemeen directeur", r"chair\w*", r"vorstand\w*")
     + "|" + _cjk(r"社長", r"总经理", r"总裁", r"代表取締役")),
    ("other", _words(r"chef", r"sous chef", r"cook", r"pilot", r"first officer",
                     r"electrician", r"barista", r"plumber", r"carpenter", r"mechanic",
                     r"driver", r"waiter", r"waitress", r"bartender")),
]
_FUNCTION_PATTERNS = [(name, re.compile(pattern)) for name, pattern in FUNCTIONS]


@dataclass(frozen=True)
class TitleReading:
    """What a title claims: its level, the words that set it, function, people managed."""

    level: int | None
    words: str | None
    function: str | None
    manages_people: bool | None


def _search(pattern: str, key: str) -> re.Match[str] | None:
    return re.search(pattern, key)


def _level(key: str) -> tuple[int | None, str | None, str | None]:
    """(level, the words that set it, kind of rank) for one title key."""
    if _NOT_A_ROLE.fullmatch(key.strip()):
        return None, None, None
    for pattern, level in _FIXED:
        if match := re.search(pattern, key):
            return level, match.group(0), "fixed"
    for pattern, level, kind in _RANKS:
        if level < 7 and (role := _ic_role(key)):
            return role
        if match := re.search(pattern, key):
            before = key[:match.start()]
            for modifier, moves in _MODIFIERS:
                if kind in moves and (mod := re.search(f"(?:{modifier})" + _NEAR,
                                                       before)):
                    return moves[kind], key[mod.start():match.end()], kind
            return level, match.group(0), kind
    if role := _ic_role(key):
        return role
    if match := re.search(_ENTRY, key):
        if senior := re.search(_SENIOR, key):
            return 3, f"{senior.group(0)} {match.group(0)}", "ic"
        return 2, match.group(0), "ic"
    if match := re.search(_ROLE, key) or re.search(_ROLE_SHAPE, key):
        return _ic(key, match, 3)
    return None, None, None


def _ic_role(key: str) -> tuple[int, str, str] | None:
    """The rung of a role named with its own level ('Product Manager', 'Art Director')."""
    for pattern, level in _IC_ROLES:
        if match := re.search(pattern, key):
            return _ic(key, match, level)
    return None


def _ic(key: str, match: re.Match[str], level: int) -> tuple[int, str, str]:
    """An individual contributor's rung: the role's own, moved by senior / junior, a grade
    after the role, a lead / principal / staff in front, or 'associate' in front of another
    role (the rung below it)."""
    words, before = match.group(0), key[:match.start()]
    rest = f"{before} {key[match.end():]}"
    if (senior := re.search(_SENIOR, rest)) and not _RANGE.search(key):
        return min(level + 1, 5), f"{senior.group(0)} {words}", "ic"
    if junior := re.search(_words(r"junior", r"jr", r"entry level"), rest):
        return max(level - 1, 2), f"{junior.group(0)} {words}", "ic"
    if lead := next((m for m in re.finditer(_LEAD_IC, key) if m.end() <= match.start()),
                    None):
        return 5, f"{lead.group(0)} {words}", "ic"
    if re.search(_words(r"group"), before) and "manager" in words:
        return 6, f"group {words}", "ic"
    for grade, graded in _GRADES:
        if (found := re.search(grade, key[match.end():])) and found.start() < 4:
            return graded, key[match.start():match.end() + found.end()], "ic"
    if level == 3 and (re.search(_words(r"associate"), before) or words == "associate"
                       and re.search(_ROLE, key[match.end():])):
        return 2, f"associate {key[match.end():].strip()}".strip(), "ic"
    return level, words, "ic"


def read_title(title: object) -> TitleReading:
    """Read one job title as written."""
    keys = title_key(pd.Series([title], dtype=object))
    return _read_key(keys.iloc[0])


# Abbreviations read only here (title_key keeps them, so matching across imports is unchanged).
_ABBREVIATIONS = {"coord": "coordinator", "spec": "specialist", "hd": "head", "mktg": "marketing",
                  "exec": "executive", "ops": "operations", "sys": "systems", "acct": "account",
                  "mngr": "manager", "mgmt": "management", "rep": "representative",
                  "reps": "representatives"}


def _expand(key: str) -> str:
    return " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())


def _read_key(key: object) -> TitleReading:
    if not isinstance(key, str) or not key.strip():
        return TitleReading(None, None, None, None)
    key = _expand(key)
    level, words, kind = _level(key)
    function = next((name for name, pattern in _FUNCTION_PATTERNS if pattern.search(key)), None)
    return TitleReading(level, words, function, _manages(key, level, kind))


def _manages(key: str, level: int | None, kind: str | None) -> bool | None:
    """Whether the title says the role has people reporting to it; None when it does not
    say (a founder, 'Marketing Lead', a chief of staff)."""
    if level is None:
        return None
    if kind == "ic" or level <= 4:
        return False
    if kind == "lead":
        if re.search(_words(r"principal", r"staff", r"fellow", r"distinguished( \w+)?"), key):
            return False
        return True if re.search(_PEOPLE_LEAD, key) else None
    if re.search(_words(r"founder", r"co ?founder", r"owner", r"chief of staff",
                        r"general counsel"), key):
        return None
    return True


def read_titles(values: pd.Series) -> pd.DataFrame:
    """One row per distinct title: columns title, title_level, title_words, title_function,
    manages_people."""
    titles = pd.Series(pd.unique(values.dropna()), dtype=object)
    keys = title_key(titles) if len(titles) else titles
    rows = [_read_key(k) for k in keys]
    return pd.DataFrame({
        "title": titles,
        "title_level": pd.array([r.level for r in rows], dtype="Int64"),
        "title_words": pd.array([r.words for r in rows], dtype="string"),
        "title_function": pd.array([r.function for r in rows], dtype="string"),
        "manages_people": pd.array([r.manages_people for r in rows], dtype="boolean")})
