/**
 * Word lists for claim extraction. Kept small and hand-picked: the extractor is a
 * heuristic suggestion tool that must run in milliseconds inside a Worker, so it
 * carries no model and no dictionary, only the words news writing leans on.
 * All entries are lower case unless the comment says otherwise.
 */

import { foldName } from "../speaker-matching";

export type Language = "de" | "en";
export type Gender = "f" | "m";

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));
/* For proper nouns, compared after foldName (Wŏnsan → wonsan, Österreich → osterreich). */
const foldedSet = (words: string): ReadonlySet<string> =>
	new Set(words.split(/\s+/).filter(Boolean).map(foldName));

/*
 * Abbreviations that end with a period yet rarely end a sentence. Case-sensitive,
 * because "No." before a number is an abbreviation but "no." is a word.
 */
export const ABBREVIATIONS: ReadonlySet<string> = set(`
	Dr Prof Nr Mr Mrs Ms Jr Sr St Hr Fr Hrn Sen Rep Gen Gov Lt Col Capt Sgt Rev Mt No Nos Vol Abs Art Bd Bsp
	ca vgl bzw sog ggf evtl inkl zzgl exkl Jh Mio Mrd Tsd Str Dipl Ing Mag Univ vs etc Co Corp Inc Ltd
	Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Oct Nov Dez Dec Mo Di Mi Do Fr Sa So Tel Abb Kap Fig Pkt Zi
	z B u a d h i e g o v Std Min Sek bzw usw Ziff lt gem Anm St
`);

/* Abbreviations that may also close a sentence ("… in the U.S. The next …"). */
export const SENTENCE_FINAL_ABBREVIATIONS: ReadonlySet<string> = set("etc usw Inc Ltd Corp Co");

/* Words that open sentences; after an ambiguous abbreviation they signal a new sentence. */
export const SENTENCE_STARTERS: ReadonlySet<string> = set(`
	the he she it they we i but and in this that these those there his her its our their a an
	der die das er sie es wir ich aber und doch dies diese dieser damit dann nach im am auch
`);

export const MONTHS: ReadonlySet<string> = set(`
	januar jänner februar märz april mai juni juli august september oktober november dezember
	january february march may june july october december
`);

export const WEEKDAYS: ReadonlySet<string> = set(`
	montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
	monday tuesday wednesday thursday friday saturday sunday
`);

export const SEASONS: ReadonlySet<string> = set(
	"frühjahr frühling sommer herbst winter spring summer autumn fall winter",
);

/* Relative time words that date an event well enough to check it. */
export const TIME_WORDS: ReadonlySet<string> = set(`
	gestern vorgestern heute yesterday today tonight vorjahr vormonat vorwoche
`);

/* Words after which an ordinal number ("am 12. Juli", "zum 3. Mal") is not a sentence end. */
export const ORDINAL_LEADS: ReadonlySet<string> = set(`
	am vom zum bis ab seit den dem der die das des im zur ihr ihrem ihren sein seinem seinen beim
	jeden jedem jeder vor nach
`);

/* Lower-cased capitalised function words: never the start of a name. */
export const FUNCTION_WORDS: ReadonlySet<string> = set(`
	der die das den dem des ein eine einer einem einen eines und oder aber doch denn sondern
	in im an am auf aus bei beim mit nach von vom vor zu zum zur über unter für gegen ohne um durch
	als wie wenn weil dass ob während seit bis nachdem bevor obwohl damit da so auch noch nur schon
	er sie es wir ihr ich man sein seine ihre unser mein dies diese dieser dieses jener jene
	nicht kein keine mehr laut zufolge gestern heute dort hier dann zudem jedoch bereits
	the a an and or but if when while as at by for from in into of on to with without about after before
	he she it we they i you his her its our their this that these those there here then also
	according mr mrs ms dr prof herr frau
`);

/* Lower-case words that belong to a surname: von der Leyen, de Gaulle, bin Salman. */
export const NAME_PARTICLES: ReadonlySet<string> = set(
	"von van der den de del della di da du le la al el bin ibn ter ten zu",
);

/* Titles before a name, with the gender they imply. Folded, without the period. */
export const TITLES: ReadonlyMap<string, Gender | null> = new Map([
	["dr", null],
	["prof", null],
	["mr", "m"],
	["mrs", "f"],
	["ms", "f"],
	["miss", "f"],
	["sir", "m"],
	["dame", "f"],
	["lord", "m"],
	["lady", "f"],
	["herr", "m"],
	["herrn", "m"],
	["frau", "f"],
]);

/*
 * Role nouns. German compounds end in the stem (Außenminister, Oberbürgermeisterin,
 * Kreml-Chef), so a word is a role when, after inflection is stripped, it ends in one
 * of these; the feminine "-in" form is recognised by the matcher.
 */
export const GERMAN_ROLE_STEMS: readonly string[] = [
	"minister",
	"präsident",
	"kanzler",
	"staatschef",
	"regierungschef",
	"parteichef",
	"chef",
	"kolleg",
	"sprecher",
	"bürgermeister",
	"abgeordnet",
	"vorsitzend",
	"senator",
	"gouverneur",
	"botschafter",
	"general",
	"direktor",
	"leiter",
	"professor",
	"expert",
	"trainer",
	"richter",
	"anwalt",
	"anwält",
	"stadtrat",
	"stadträt",
	"gemeinderat",
	"gemeinderät",
	"landrat",
	"landrät",
	"kämmerer",
	"ratsherr",
	"bischof",
	"papst",
	"könig",
	"prinz",
	"premier",
	"staatssekretär",
	"sekretär",
	"kommissar",
	"diplomat",
	"politiker",
	"ökonom",
	"analyst",
	"forscher",
	"wissenschaftler",
	"berater",
	"gründer",
	"manager",
	"funktionär",
	"beauftragt",
];

/* English roles; one-word heads, multiword roles end in one of them. Gender where the word has one. */
export const ENGLISH_ROLES: ReadonlyMap<string, Gender | null> = new Map([
	["minister", null],
	["president", null],
	["chancellor", null],
	["secretary", null],
	["spokesman", "m"],
	["spokeswoman", "f"],
	["spokesperson", null],
	["mayor", null],
	["governor", null],
	["senator", null],
	["ambassador", null],
	["general", null],
	["director", null],
	["chief", null],
	["leader", null],
	["professor", null],
	["economist", null],
	["analyst", null],
	["official", null],
	["ceo", null],
	["chairman", "m"],
	["chairwoman", "f"],
	["chair", null],
	["premier", null],
	["king", "m"],
	["queen", "f"],
	["councillor", null],
	["councilor", null],
	["councilman", "m"],
	["councilwoman", "f"],
	["congressman", "m"],
	["congresswoman", "f"],
	["lawmaker", null],
	["legislator", null],
	["judge", null],
	["lawyer", null],
	["attorney", null],
	["prosecutor", null],
	["commissioner", null],
	["manager", null],
	["founder", null],
	["coach", null],
	["captain", null],
	["representative", null],
	["researcher", null],
	["scientist", null],
	["expert", null],
	["diplomat", null],
	["counterpart", null],
	["colleague", null],
	["envoy", null],
	["head", null],
	["treasurer", null],
	["engineer", null],
	["executive", null],
]);

/* Words that qualify an English role without being a name: "Foreign Minister", "Prime Minister". */
export const ENGLISH_ROLE_MODIFIERS: ReadonlySet<string> = set(`
	foreign prime vice deputy defense defence finance interior state health economy economic trade
	former acting executive chief general press senior top opposition city council party
`);

/*
 * Common first names with their usual gender. Only a pronoun's fallback: a role
 * ("Amtskollegin"), a title ("Frau") or a resolved pronoun override it.
 */
export const FIRST_NAMES: ReadonlyMap<string, Gender> = new Map([
	...[
		"sergei sergej sergey wladimir vladimir dmitri dmitrij dmitry alexander alexej alexei andrei andrej",
		"thomas michael peter klaus hans stefan stephan andreas markus martin frank jürgen wolfgang olaf",
		"friedrich karl robert christian jan jens lars jonas lukas felix paul max tim tobias matthias",
		"florian daniel david john james william joe donald barack george bill mike mark richard joseph",
		"charles steven kevin brian tom tony emmanuel boris recep benjamin ali mohammed ahmed omar",
		"wolodymyr volodymyr rishi keir justin narendra pedro carlos luis jose juan antonio marco luca",
		"pierre jean françois heinrich helmut gerhard horst günter dieter uwe ralf sven kai ben henry",
		"edward harry jack oliver noah ethan liam friedrich armin markus hubert christoph philipp",
	]
		.join(" ")
		.split(" ")
		.map((n): [string, Gender] => [n, "m"]),
	...[
		"anna maria marie julia laura sarah sara lisa katharina christina sabine petra claudia andrea",
		"angela annalena ursula olga natalia natalja elena jelena irina tatjana swetlana ekaterina",
		"jekaterina alice emma hannah lena lea sophie sophia mia jane mary elizabeth kamala hillary",
		"nancy susan jennifer linda karen emily olivia charlotte amelia giorgia kaja kristalina",
		"christine margarete heike monika susanne nicole stefanie karin birgit ingrid helga renate",
		"ruth eva franziska saskia ricarda svenja manuela malu",
	]
		.join(" ")
		.split(" ")
		.map((n): [string, Gender] => [n, "f"]),
]);

/*
 * Places and states that name a checkable "where". Folded; German genitive "-s" is
 * stripped before lookup (Russlands → russland).
 */
const PLACES: ReadonlySet<string> = foldedSet(`
	russland russia moskau moscow ukraine kiew kyiv kursk charkiw kharkiv donbass donezk donetsk krim crimea
	deutschland germany berlin frankreich france paris china peking beijing japan tokio tokyo
	korea südkorea nordkorea pjöngjang pyongyang seoul sejong busan wonsan usa amerika america washington
	london großbritannien britain england europa europe asien asia malaysia kuala lumpur österreich
	austria wien vienna schweiz switzerland zürich bern italien italy rom rome spanien spain madrid
	polen poland warschau warsaw türkei turkey ankara istanbul israel gaza iran teheran tehran indien
	india brüssel brussels hamburg münchen munich köln cologne frankfurt stuttgart freiburg karlsruhe
	bayern bavaria sachsen texas california kalifornien york chicago kanada canada mexiko mexico
	brasilien brazil afrika africa ägypten egypt syrien syria irak iraq afghanistan pakistan vietnam
	taiwan belarus minsk finnland finland schweden sweden norwegen norway dänemark denmark niederlande
	netherlands belgien belgium ungarn hungary budapest prag prague griechenland greece athen athens
	portugal lissabon lisbon wladiwostok vladivostok sibirien siberia dvrk dprk asean nato eu uno un
	dreisam wiehre yonsei
`);

/** A known place or state, also in the German genitive ("Russlands", "Moskaus") and English possessive. */
export function isPlaceWord(word: string): boolean {
	const key = foldName(word.replace(/['’]s?$/u, ""));
	return PLACES.has(key) || (key.endsWith("s") && PLACES.has(key.slice(0, -1)));
}

/* After "in"/"nach" these capitalised German nouns are not places ("in Kontakt", "nach Angaben"). */
export const NOT_PLACES: ReadonlySet<string> = set(`
	kontakt zukunft kraft frage ordnung gefahr betrieb planung arbeit richtung höhe summe bezug
	anbetracht erwägung folge form haft aussicht sicht angaben ansicht meinung auffassung worten
	hinsicht kürze zeiten verbindung absprache teilen anspruch übereinstimmung wirklichkeit tat
	wahrheit ruhe frieden krieg zusammenarbeit abstimmung kürze zeit gegenwart vergangenheit
	the a an this that his her its their our my your which what
`);

/* Head words that make a capitalised run an organisation, not a person. */
export const ORGANISATION_HEADS: ReadonlySet<string> = foldedSet(`
	partei ministerium regierung verband verein bank gruppe universität institut agentur
	volksarmee armee rat kommission stiftung gmbh ag party ministry government agency bank group
	university institute council commission foundation inc corp ltd office department club
`);

/* East Asian family names written first ("Xi Jinping", "Kim Jong-un"). Folded. */
export const FAMILY_NAME_FIRST: ReadonlySet<string> = foldedSet(`
	xi wang li zhang liu chen yang huang zhao wu zhou kim lee park choi choe pak ri jang moon yoon
	han kang cho jung shin hu mao
`);

export interface ReportingCue {
	/** The finite or participle form. */
	form: string;
	/** Separable particle that closes the clause ("teilte … mit"); the cue needs it. */
	particle?: string;
	/** What the verb says about the content, beyond "someone said it". */
	stance?: "opinion" | "pledge" | "prediction" | "courtesy" | "denial" | "demand";
	/** Where the speaker stands relative to the cue, when the word order fixes it. */
	subject?: "before" | "after";
}

const cues = (forms: string, extra: Omit<ReportingCue, "form"> = {}): ReportingCue[] =>
	forms
		.split(/\s+/)
		.filter(Boolean)
		.map((form) => ({ form, ...extra }));

export const GERMAN_CUES: readonly ReportingCue[] = [
	...cues(`sagte sagten sagt gesagt erklärte erklärten erklärt betonte betonten betont
		äußerte äußerten äußert geäußert nannte nannten nennt genannt verwies verwiesen verweist
		bestätigte bestätigten bestätigt unterstrich unterstrichen unterstreicht behauptete
		behaupteten behauptet berichtete berichteten berichtet erläuterte erläuterten erläutert
		schrieb schrieben schreibt bekräftigte bekräftigten bekräftigt argumentierte argumentierten
		verkündete verkündeten verkündet sprach sprachen spricht zitierte meldete meldeten
		mitteilte mitteilten mitgeteilt hervorhob hervorgehoben einräumte eingeräumt bekanntgegeben
		versicherte versicherten versichert`),
	...cues("teilte teilten teilt", { particle: "mit" }),
	...cues("hob hoben hebt", { particle: "hervor" }),
	...cues("räumte räumten räumt", { particle: "ein" }),
	...cues("wies weist", { particle: "hin" }),
	...cues("stellte stellten stellt", { particle: "fest" }),
	...cues("fügte fügten fügt", { particle: "hinzu" }),
	...cues("gab gaben gibt", { particle: "bekannt" }),
	...cues("schloss schlossen schließt", { particle: "aus" }),
	...cues("machte machten macht", { particle: "deutlich" }),
	...cues("stellte stellten", { particle: "klar" }),
	...cues("hielt hielten hält", { particle: "dagegen" }),
	// "hieß es": speech with no speaker to name.
	...cues("hieß"),
	...cues(
		"kritisierte kritisierten kritisiert meinte meinten meint glaubt glaubte lobte lobten gelobt bezeichnete bezeichneten bezeichnet verurteilte verurteilten begrüßte begrüßten",
		{
			stance: "opinion",
		},
	),
	...cues("warnte warnten warnt gewarnt prognostizierte erwartet erwartete hofft hoffte", {
		stance: "prediction",
	}),
	...cues("forderte forderten fordert gefordert mahnte mahnten appellierte", { stance: "demand" }),
	...cues("versprach versprachen verspricht versprochen gelobte", { stance: "pledge" }),
	...cues("sicherte sicherten", { particle: "zu", stance: "pledge" }),
	...cues("kündigte kündigten kündigt", { particle: "an", stance: "pledge" }),
	...cues("bedankte dankte dankten gratulierte gratulierten würdigte", { stance: "courtesy" }),
	...cues("dementierte dementierten bestritt bestritten widersprach widersprachen", { stance: "denial" }),
	...cues("wies wiesen", { particle: "zurück", stance: "denial" }),
	...cues("warf warfen wirft", { particle: "vor", stance: "opinion" }),
	...cues("zufolge", { subject: "before" }),
	...cues("laut", { subject: "after" }),
];

export const ENGLISH_CUES: readonly ReportingCue[] = [
	...cues(`said says stated states claimed claims told tells argued argues added adds insisted insists
		announced announces noted notes explained explains stressed stresses emphasized emphasised
		emphasizes asserted asserts confirmed confirms acknowledged acknowledges admitted admits alleged
		alleges maintained maintains declared declares wrote writes reported reports repeated replied
		responded disputed disputes testified recalled`),
	...cues(
		"praised praises criticized criticised criticizes accused condemned welcomed believes believed thinks thought called described",
		{
			stance: "opinion",
		},
	),
	...cues("warned warns predicted predicts expects expected hopes hoped forecast", { stance: "prediction" }),
	...cues("urged urges demanded demands", { stance: "demand" }),
	...cues("promised promises pledged pledges vowed vows", { stance: "pledge" }),
	...cues("thanked thanks congratulated", { stance: "courtesy" }),
	...cues("denied denies rejected rejects", { stance: "denial" }),
];

/* German Konjunktiv forms that mark indirect speech when no reporting verb is in sight. */
export const KONJUNKTIV: ReadonlySet<string> = set(`
	sei seien seiest habe hätte hätten werde würde würden könne könnten müsse müssten dürfe dürften
	wolle wollten solle sollten möge wisse gebe gäbe stehe stünde stünden liege läge gehe ginge komme
	käme bleibe handele handle brauche verfüge plane arbeite gelte bestehe bestünde fehle erfolge
	drohe lasse ließe befinde zeige unterstütze lehne erwarte
`);

export const PRONOUNS: ReadonlyMap<string, { language: Language; gender: Gender | null }> = new Map([
	["er", { language: "de", gender: "m" }],
	["sie", { language: "de", gender: "f" }],
	["he", { language: "en", gender: "m" }],
	["she", { language: "en", gender: "f" }],
]);

/* Determiners that open a role description ("der russische Außenminister", "the foreign minister"). */
export const DETERMINERS: ReadonlySet<string> = set(`
	der die den dem des sein seine seinem seinen seiner ihr ihre ihrem ihren ihrer deren dessen
	the his her its their
`);

/* Articles that can open an unnamed speaker: "ein Sprecher", "a spokesperson for the ministry". */
export const PHRASE_DETERMINERS: ReadonlySet<string> = new Set([
	...DETERMINERS,
	...set("ein eine einer einem a an one"),
]);

/* Sentences that belong to the page, not the article: link teasers, credits. */
/** A byline ("By Jane Doe, Reuters", "Von Max Muster und Eva Beispiel"): who wrote, not a claim. */
export const BYLINE =
	/^(?:[Bb]y|[Vv]on)\s+\p{Lu}[\p{L}.'’-]+(?:\s+(?:\p{Lu}[\p{L}.'’-]+|und|and|&))*\s*(?:[,|·]\s*[\p{L}\s.&-]{1,60})?\.?$/u;

/** A dateline before the first sentence ("SEOUL, March 3 — ", "BERLIN (dpa) – "): where and when, not the claim. */
export const DATELINE =
	/^(?:\p{Lu}[\p{Lu}\s.'’-]{2,40}|\p{Lu}[\p{L}.'’-]+(?:\s\p{Lu}[\p{L}.'’-]+)?\s\([^)\n]{1,20}\))(?:,\s[^—–\n]{1,40})?\s[—–-]{1,2}\s/u;

export const BOILERPLATE =
	/^(?:mehr zum thema|lesen sie (?:auch|mehr)|weiterlesen|read more|see also|(?:quelle|source|foto|photo|bild|related)\s*:)/iu;

/*
 * Content markers for check-worthiness. Each list is matched on lower-cased words;
 * multiword entries are matched as phrases.
 */
export const MARKERS = {
	numberWords: set(`
		zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig hundert hunderte tausend
		tausende million millionen milliarde milliarden prozent drittel hälfte viertel dutzend
		two three four five six seven eight nine ten eleven twelve twenty thirty hundred hundreds thousand
		thousands million millions billion billions percent half third quarter dozen
	`),
	eventNouns: set(`
		treffen zusammentreffen gipfel besuch angriff anschlag wahl abstimmung unfall explosion konferenz
		vertrag abkommen eröffnung gespräche verhandlungen runde einsatz
		meeting summit visit attack election vote accident explosion agreement treaty ceremony opening
		talks negotiations round bill
	`),
	germanPastEvents: set(`
		reiste reisten traf trafen kam kamen zusammenkam fand fanden statt unterzeichnete unterzeichneten
		eröffnete eröffneten starb starben befreite befreiten besuchte besuchten stieg stiegen sank sanken
		wuchs gewann gewannen verlor verloren beschloss beschlossen verabschiedete griff griffen investierte
		investierten baute bauten zahlte zahlten führte führten begann begannen endete endeten
	`),
	englishPastEvents: set(`
		was were met went took made held came left began won lost fell rose grew built signed visited
		attacked killed died voted passed cut paid spent kept reached climbed dropped increased decreased
		invested opened closed launched hit sank
	`),
	auxiliaries: set(`
		hat hatte haben hatten ist war sind waren wurde wurden worden sei seien habe hätten wäre wären
		has had have been was were is are
	`),
	states: set(`
		ist sind sei seien stünden stünde steht stehen stehe liegt liegen liege bleibt handele handelt
		gibt existiert besteht verfügt
		is are remains remain exists stands
	`),
	factualAdverbs: set(`
		bereits schon regelmäßig derzeit aktuell inzwischen insgesamt erstmals seit
		already regularly currently now since total first
	`),
	superlatives: set(`
		erste ersten erstmals größte größten höchste höchsten niedrigste niedrigsten rekord nie niemals
		first largest biggest highest lowest record never
	`),
	hedges: set(`
		vielleicht möglicherweise eventuell wohl vermutlich angeblich maybe perhaps possibly might
		allegedly reportedly could soll
	`),
	prediction: set(`
		bald künftig zukünftig voraussichtlich wahrscheinlich dürfte dürften prognose
		soon likely probably forecast going will won't shall expected
	`),
	pledgeVerbs: set(`
		unterstützen fördern helfen schaffen sorgen garantieren sicherstellen liefern verteidigen
		investieren bereitstellen fertiggestellt umsetzen einbringen
		support help ensure guarantee provide defend deliver invest create build keep do table
	`),
	pledgeWords: set(
		"bedingungslos uneingeschränkt versprach versicherte unconditionally pledged promised vowed",
	),
	opinion: set(`
		glaube glauben glaubt meine meint finde findet denke denkt überzeugt verständnis unzerstörbar
		unzerstörbare unbesiegbar unbesiegbare großartig großartige hervorragend hervorragende
		schrecklich schreckliche inakzeptabel skandalös wichtig wichtige wichtigste beweis
		sollte sollten solle müsse muss müssen müssten geschönt
		believe believes think thinks feel feels should must ought outrageous unacceptable great terrible
		wonderful important disgrace shameful remarkable celebrating
	`),
	courtesy: set(`
		bedankte dankte danke dank dankbar gratulierte glückwunsch beileid würdigte
		thanked thank thanks grateful gratitude congratulated condolences
	`),
	opinionPhrases: [
		"ich bin mir sicher",
		"ich bin sicher",
		"wir sind sicher",
		"wir gehen davon aus",
		"ich gehe davon aus",
		"meiner meinung nach",
		"i am sure",
		"i'm sure",
		"we are sure",
		"i believe",
		"we believe",
		"in my view",
		"i think",
		"we think",
	],
	predictionPhrases: [
		"ich bin mir sicher",
		"ich bin sicher",
		"i am sure",
		"i'm sure",
		"is going to",
		"are going to",
		"in zukunft",
		"in the future",
	],
} as const;

/** Guesses German or English from function-word counts; other languages fall back to English rules. */
export function detectLanguage(text: string): Language {
	const sample = text.slice(0, 20_000).toLowerCase();
	const count = (re: RegExp) => sample.match(re)?.length ?? 0;
	const de = count(/\b(?:der|die|das|und|nicht|mit|dass|ist|sich|auf)\b/g);
	const en = count(/\b(?:the|and|of|that|is|with|was|for|not|said)\b/g);
	return de > en ? "de" : "en";
}
