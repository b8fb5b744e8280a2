/**
 * Language tags (BCP 47) as the app stores them: primary subtag in lower case, regions
 * in upper case, scripts in title case ("de", "en-GB", "zh-Hant"). One normaliser for
 * the forms and the API, article metadata and the import mapping. Tags that name no
 * language (und, mul, zxx, mis) are none.
 */
const TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const NO_LANGUAGE = new Set(["und", "mul", "zxx", "mis"]);

/**
 * Three-letter codes of languages that have a two-letter one (ISO 639-2/T and /B, and the
 * individual languages CLDR folds into their macrolanguage: deu, ger → de; cmn → zh), each
 * pair as five letters. BCP 47 tags use the shortest code, and CLDR's canonical form (which
 * `Intl.getCanonicalLocales` applies; this table is its output, fixed here so every runtime
 * agrees) says the same. Stored as "deu", a German review was "Falsch" in one answer and
 * "False" in another, and `languageCode=de` did not find it. Migration 0050 rewrote the
 * tags stored before, and a restore rewrites an older backup's (store/backup).
 */
const TWO_LETTER_CODES =
	"aaraa abkab adpdz afraf akaak albsq alssq amham araar arbar argan armhy asmas avaav aveae aymay " +
	"ayray azeaz azjaz bakba bambm baqeu belbe benbn bisbi bodbo bosbs brebr bulbg burmy catca cescs " +
	"chach chece chizh chucu chvcv clssa cmnzh corkw cosco crecr cwdcr cymcy czecs danda deude divdv " +
	"drhmn dutnl dzodz ekket ellel engen epoeo eskik estet euseu eweee faofo fasfa fatak fijfj finfi " +
	"frafr frefr fryfy fucff fulff gazom geoka gerde glagd glega glggl glvgv greel grngn guggn gujgu " +
	"hatht hauha hebhe herhz hinhi hmoho hrvhr hunhu hyehy iboig iceis idoio iiiii ikeiu ikuiu ileie " +
	"inaia indid ipkik islis itait javjv jawjv jpnja kalkl kankn kasks katka kaukr kazkk khkmn khmkm " +
	"kikki kinrw kirky kmrku knckr kngkg komkv konkg korko kpvkv kuakj kurku laolo latla lavlv limli " +
	"linln litlt ltzlb lublu luglg lvslv macmk mahmh malml maomi marmr mayms mkdmk mlgmg mltmt molro " +
	"monmn mrimi msams myamy nauna navnv nblnr ndend ndong nepne nldnl nnonn nobnb norno npine nyany " +
	"ocioc ojgoj ojioj orior ormom oryor ossos panpa pbups perfa pesfa plipi pltmg polpl porpt prpgu " +
	"pusps quequ quzqu rohrm ronro rumro runrn rusru sagsg sansa sccsr scrhr sinsi slksk slosk slvsl " +
	"smese smosm snasn sndsd somso sotst spaes sqisq srcsc srdsc srpsr sswss sunsu swasw swesv swhsw " +
	"tahty tamta tattt telte tgktg thath tibbo tirti tonto tsntn tsots tuktk turtr twiak uigug ukruk " +
	"urdur uzbuz uznuz venve vievi volvo welcy wlnwa wolwo xhoxh yddyi yidyi yoryo zhaza zhozh zsmms " +
	"zulzu zybza";
let twoLetterOf: Map<string, string> | undefined;

/**
 * Two-letter codes BCP 47 deprecated for another (Hebrew, Indonesian, Yiddish, Javanese,
 * Moldovan as Romanian): "iw" and "heb" are one language, so they are one tag. CLDR's other
 * aliases of two-letter codes (tl → fil, sh → sr-Latn) change more than the code, and stay.
 */
const REPLACED_CODES: Readonly<Record<string, string>> = { iw: "he", in: "id", ji: "yi", jw: "jv", mo: "ro" };

/** A primary subtag's current shortest code ("deu" → "de", "iw" → "he"), else the subtag. */
function shortestCode(primary: string): string {
	if (primary.length === 2) return REPLACED_CODES[primary] ?? primary;
	if (primary.length !== 3) return primary;
	twoLetterOf ??= new Map(TWO_LETTER_CODES.split(" ").map((pair) => [pair.slice(0, 3), pair.slice(3)]));
	return twoLetterOf.get(primary) ?? primary;
}

export function normalizeLanguageTag(value: string | null | undefined, maxLength = 35): string | null {
	const parts = value?.trim().split(/[-_]/) ?? [];
	if (parts.length === 0 || parts.some((part) => part.length === 0)) return null;
	const tag = parts
		.map((part, i) => {
			if (i === 0) return shortestCode(part.toLowerCase());
			if (/^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
			if (/^[A-Za-z]{4}$/.test(part)) return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
			return part.toLowerCase();
		})
		.join("-");
	if (!TAG.test(tag) || tag.length > maxLength || NO_LANGUAGE.has(tag.split("-")[0] ?? "")) return null;
	return tag;
}

/** The primary language subtag: "de-AT" → "de", og:locale "en_US" → "en". */
export function primaryLanguage(value: string | null | undefined): string | null {
	// Article metadata may list several ("de, en"): the first counts.
	const first = value?.split(/[\s,;]/).find((part) => part.trim() !== "");
	return normalizeLanguageTag(first)?.split("-")[0] ?? null;
}
