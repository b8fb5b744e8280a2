import type { ClaimInput, SourceInput, SpeakerInput } from "../schemas/records";

/**
 * Demo data from the Wonsan article (tests/fixtures/wonsan-2025-07-12.de.txt).
 * Quotes are verbatim from the article; reported speech keeps the article's
 * Konjunktiv, with the lead-in in `context`. The fixture carries no address, so
 * the source URL is a placeholder under the reserved `.example` domain.
 */
export const WONSAN_SOURCE: SourceInput = {
	url: "https://news.example/2025/07/12/lawrow-wonsan-strategischer-dialog",
	title: "Lawrow in Wŏnsan: zweite Runde des strategischen Dialogs zwischen Russland und der DVRK",
	publisher: null,
	author: null,
	language: "de",
	publishedAt: "2025-07-12",
	archivedUrl: null,
};

export const LAWROW: SpeakerInput = {
	name: "Sergei Lawrow",
	kind: "person",
	description: "Foreign Minister of Russia",
	wikidataId: null,
	aliases: ["Lavrov", "Lawrow", "Sergej Lawrow", "Sergey Lavrov", "Sergei Lavrov", "Сергей Лавров"],
};

export const CHOE: SpeakerInput = {
	name: "Choe Son-hui",
	kind: "person",
	description: "Foreign Minister of the DPRK",
	wikidataId: null,
	aliases: ["Choe Son Hui", "Ch'oe Sŏn-hŭi", "Choe Son-hui", "최선희"],
};

/**
 * Each demo claim carries an import id of its own (`externalId`), so that the desk's removal
 * of one is remembered as an import's is (`retired_claims`): a later seed does not bring it back.
 */
type DemoClaim = Omit<ClaimInput, "speaker" | "source" | "externalId"> & {
	speaker: "lawrow" | "choe" | null;
	externalId: string;
};

export const WONSAN_CLAIMS: DemoClaim[] = [
	{
		speaker: "choe",
		text: "Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und Kämpfer der Koreanischen Volksarmee zusammen mit ihren russischen Kameraden unter Einsatz ihres Blutes und sogar ihres Lebens erfolgreich das Gebiet von den ukrainischen Nazis befreiten.",
		language: "de",
		claimedAt: "2025-07-12",
		context:
			"Direct quote following Choe's praise of the strategic partnership treaty as the “Grundlage der unbesiegbaren Bruderschaft” between Pyongyang and Moscow.",
		quote: null,
		anchor: null,
		externalId: "claimtrack-demo:wonsan-2025-07-12:1",
	},
	{
		speaker: "lawrow",
		text: "Putin und der nordkoreanische Staatschef Kim Jong-un regelmäßig in Kontakt stünden und Briefe austauschten",
		language: "de",
		claimedAt: "2025-07-12",
		context: "Am 12. Juli teilte Lawrow nach den Gesprächen mit, dass …",
		quote: null,
		anchor: null,
		externalId: "claimtrack-demo:wonsan-2025-07-12:2",
	},
	{
		speaker: "lawrow",
		text: "Die Luftverbindungen seien bereits wiederhergestellt",
		language: "de",
		claimedAt: "2025-07-12",
		context:
			"Als weiteren Schritt nannte Lawrow die Verbesserung der Verkehrsverbindungen mit der DVRK; als nächstes stehe die Schifffahrt auf dem Programm.",
		quote: null,
		anchor: null,
		externalId: "claimtrack-demo:wonsan-2025-07-12:3",
	},
	{
		speaker: "lawrow",
		text: "die DVRK frei und souverän handele",
		language: "de",
		claimedAt: "2025-07-12",
		context: "Er hob auf einer Pressekonferenz hervor, dass …",
		quote: null,
		anchor: null,
		externalId: "claimtrack-demo:wonsan-2025-07-12:4",
	},
	{
		speaker: null,
		text: "Das erste Zusammentreffen dieser Art hatte bereits im Herbst 2024 stattgefunden, als Choe nach Moskau reiste und dort mit Lawrow und dem russischen Staatspräsidenten Wladimir Putin zusammenkam.",
		language: "de",
		claimedAt: "2025-07-12",
		context: "Statement of the article itself about the first round of the strategic dialogue.",
		quote: null,
		anchor: null,
		externalId: "claimtrack-demo:wonsan-2025-07-12:5",
	},
];
