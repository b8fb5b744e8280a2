/**
 * Attribution accuracy of the claim extractor on the hand-labelled articles in
 * tests/fixtures/articles (attribution-labels.json): how many labelled claims get
 * the speaker a careful editor would name. Used by the attribution test and by
 * `npm run bench`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type ClaimCandidate, extractClaims } from "../../src/domain/extraction";

const root = path.resolve(import.meta.dirname, "../..");
const ARTICLES = path.join(root, "tests/fixtures/articles");

type Construction = "apposition" | "role-reference" | "reported-speech" | "same-surname";

export interface AttributionLabel {
	/** A distinctive substring of the candidate's text. */
	quote: string;
	/** The full name a careful editor gives, or null when no named person makes the claim. */
	speaker: string | null;
	construction?: Construction;
}

export interface AttributionMiss {
	article: string;
	quote: string;
	expected: string | null;
	/** The extractor's speaker; "(no candidate)" or "(2 candidates)" when the label matched none or several. */
	actual: string | null;
	construction?: Construction;
}

export interface AttributionAccuracy {
	articles: number;
	labelled: number;
	correct: number;
	accuracy: number;
	misses: AttributionMiss[];
	/** Per construction of issue #15, the labels that name it and how many came out right. */
	byConstruction: Record<Construction, { labelled: number; correct: number }>;
}

interface LabelFile {
	articles: Record<string, AttributionLabel[]>;
}

/*
 * An unnamed source ("a spokesperson for the ministry", "die Polizei") is what the
 * extractor reports when nobody is named; for the label that is no named person.
 */
const UNNAMED = /^(?:a|an|the|one|some|ein|eine|einer|eines|der|die|das|des|den|dem)\s/iu;

function named(speaker: ClaimCandidate["speaker"]): string | null {
	if (!speaker || UNNAMED.test(speaker.name) || /^\p{Ll}/u.test(speaker.name)) return null;
	return speaker.name;
}

const same = (a: string | null, b: string | null) =>
	(a ?? "").replace(/\s+/gu, " ").toLowerCase() === (b ?? "").replace(/\s+/gu, " ").toLowerCase();

export function readLabels(): Record<string, AttributionLabel[]> {
	const file = JSON.parse(readFileSync(path.join(ARTICLES, "attribution-labels.json"), "utf8")) as LabelFile;
	return file.articles;
}

/** The language of an article from its file name: "radwege-freiburg.de.txt" → "de". */
export function articleLanguage(file: string): string {
	return /\.(\w+)\.txt$/u.exec(file)?.[1] ?? "en";
}

export function readArticle(file: string): string {
	return readFileSync(path.join(ARTICLES, file), "utf8");
}

/** Checks one label against the candidates of its article: the miss, or null when it is right. */
export function checkLabel(
	article: string,
	candidates: readonly ClaimCandidate[],
	label: AttributionLabel,
): AttributionMiss | null {
	const hits = candidates.filter((c) => c.text.includes(label.quote));
	const miss = (actual: string | null): AttributionMiss => ({
		article,
		quote: label.quote,
		expected: label.speaker,
		actual,
		...(label.construction ? { construction: label.construction } : {}),
	});
	const [hit] = hits;
	if (!hit || hits.length > 1)
		return miss(hits.length === 0 ? "(no candidate)" : `(${hits.length} candidates)`);
	const actual = named(hit.speaker);
	return same(actual, label.speaker) ? null : miss(hit.speaker?.name ?? null);
}

export function attributionAccuracy(): AttributionAccuracy {
	const labels = readLabels();
	const byConstruction: AttributionAccuracy["byConstruction"] = {
		apposition: { labelled: 0, correct: 0 },
		"role-reference": { labelled: 0, correct: 0 },
		"reported-speech": { labelled: 0, correct: 0 },
		"same-surname": { labelled: 0, correct: 0 },
	};
	const misses: AttributionMiss[] = [];
	let labelled = 0;
	for (const [file, list] of Object.entries(labels)) {
		const candidates = extractClaims(readArticle(file), { language: articleLanguage(file) });
		for (const label of list) {
			labelled++;
			const miss = checkLabel(file, candidates, label);
			if (miss) misses.push(miss);
			const tally = label.construction ? byConstruction[label.construction] : undefined;
			if (tally) {
				tally.labelled++;
				if (!miss) tally.correct++;
			}
		}
	}
	const correct = labelled - misses.length;
	return {
		articles: Object.keys(labels).length,
		labelled,
		correct,
		accuracy: labelled === 0 ? 0 : correct / labelled,
		misses,
		byConstruction,
	};
}
