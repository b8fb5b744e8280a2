import { UI_LANGUAGES, type UiLanguage } from "../domain/ratings";

/**
 * What a public page's address is made of, for its canonical link and its language
 * versions. Only what chooses the page's content is in it: a search, its order, a filter,
 * a later page of a list. Anything else the request carried (tracking parameters, the
 * claim page's embed options) is left out, so every spelling of one page names one address.
 */
export interface PageAddress {
	/** The page's path as the app writes it (claimPath, speakerPath…), not as the request spelled it. */
	path: string;
	/** Those query parameters, already read and normalised by the route; unset ones are left out. */
	query?: Record<string, string | undefined>;
}

/** The page's absolute address on the public origin, in `lang` when given (`lang` last). */
export function pageUrl(origin: string, address: PageAddress, lang: UiLanguage | undefined): string {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(address.query ?? {})) if (value) query.set(name, value);
	if (lang) query.set("lang", lang);
	const search = query.toString();
	return `${origin}${address.path}${search ? `?${search}` : ""}`;
}

/**
 * A public page's canonical link and its language versions (`hreflang`). A page asked for
 * in a language (`?lang=de`) is the same for everyone and names itself, in that language;
 * one without names the address without `lang`, whose language each reader's browser
 * negotiates (`x-default`: a crawler, which sends no Accept-Language, reads it in English).
 * Both say the same, whatever language a negotiated page came out in, so a shared cache
 * keyed by the address never holds one reader's choice (lib/language).
 */
export function PageAddressLinks(props: {
	origin: string;
	address: PageAddress;
	/** The language the request's address named (`?lang=`); not one negotiated. */
	explicitLang: UiLanguage | undefined;
}) {
	const { origin, address } = props;
	return (
		<>
			<link rel="canonical" href={pageUrl(origin, address, props.explicitLang)} />
			{UI_LANGUAGES.map((lang) => (
				<link rel="alternate" hreflang={lang} href={pageUrl(origin, address, lang)} />
			))}
			<link rel="alternate" hreflang="x-default" href={pageUrl(origin, address, undefined)} />
		</>
	);
}
