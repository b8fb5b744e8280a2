/**
 * Stores normalised import records (schemas/import-record): claims with their speakers,
 * sources, appearances and published verdicts, idempotently. A record is the same claim
 * as a stored one by its external id, or else by quote (fingerprint) and speaker,
 * preferring the claim that already appears in the record's first source.
 *
 * One call is one all-or-nothing D1 batch: every read happens first, ids are made before
 * the batch, and what the reads assumed is asserted inside it (unique indexes, guards), so
 * a concurrent writer makes the batch fail whole and the caller re-plans it.
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
	appearances,
	auditLog,
	batchGuards,
	claimChanges,
	claims,
	type SpeakerKind,
	sources,
	speakerAliases,
	speakers,
	verdicts,
} from "../db/schema";
import { canonicalizeUrl, InvalidUrlError, withoutTracking } from "../domain/canonical-url";
import { classifyMatch, compareClaims, matchFeatures } from "../domain/claim-matching";
import { claimFingerprint } from "../domain/fingerprint";
import { newId } from "../domain/ids";
import { type ImportChange, importCorrectionNote } from "../domain/import-correction";
import { cleanPlainText } from "../domain/plain-text";
import type { RatingKey } from "../domain/ratings";
import { removedAppearanceUrl } from "../domain/removed-appearance";
import { importedReview, isExternalReview } from "../domain/review-attribution";
import { speakerSlug, uniqueSlug } from "../domain/slug";
import { createSpeakerMatcher, foldName, MATCH_SCORES, nameKeys } from "../domain/speaker-matching";
import { startOfDay } from "../domain/time-zone";
import type { Db } from "../factory";
import { constraintFailure, isD1Unavailable } from "../lib/d1-errors";
import { AppError } from "../lib/errors";
import { newsroomDay, shownTimeZone } from "../lib/newsroom-clock";
import { decodeEntities } from "../reader/html-entities";
import { htmlAsText } from "../reader/html-text";
import { writtenAsUrl } from "../schemas/common";
import {
	type ImportRecord,
	type ImportSpeaker,
	onNewsroomDays,
	validateImportRecord,
} from "../schemas/import-record";
import {
	type Actor,
	chunkForInsert,
	guardOneRow,
	idChunks,
	MAX_PARAMS,
	nowIso,
	runBatch,
	type Statement,
} from "./batch";
import { fillEarlierTextFingerprints } from "./earlier-texts";
import { firstCreditRows, publicChange, quoteChange } from "./public-changes";
import { type ClaimFate, retiredImportIds } from "./retired-claims";
import { sameSearchInputs, termsFor } from "./search-terms";
import { reindexSpeakers, slugsTaken } from "./speakers";
import { keepWithdrawnEntryTime } from "./verdicts";

/** `linked`: the record states a recorded claim in other words; its sources became appearances of it. */
type ImportStatus = "created" | "updated" | "unchanged" | "linked" | "rejected";

export interface ImportOutcome {
	status: ImportStatus;
	claimId?: string;
	/** Why a record was rejected. */
	reason?: string;
	/** What an update changed: "verdict", "appearance", "speaker-alias". */
	changes?: string[];
	/** Kept but worth knowing: a source left out, stored claim fields that differ. */
	warnings?: string[];
}

export interface ImportReport {
	/** One per record, in the order given. */
	outcomes: ImportOutcome[];
	/** Claims created, given a new verdict or a new appearance: their cached answers and the lists are stale. */
	changedClaims: string[];
	/** Claims created (the others' text is as it was: only these need an embedding). */
	createdClaims: string[];
	/**
	 * The addresses the batch put on record: the sources of its new appearances and the
	 * evidence of its new verdicts (the evidence archive copies these, not every address of
	 * a claim the batch touched).
	 */
	newUrls: string[];
	/** Known speakers given a new alias: their pages and JSON, the speaker list and search are stale. */
	aliasedSpeakers: string[];
	/**
	 * Verdicts published on claims recorded before the batch (a correction when one replaced
	 * a published verdict), the last per claim: they change what partners were told, so they
	 * are webhook events, unlike the bulk of new claims an import brings.
	 */
	publishedVerdicts: PublishedVerdict[];
}

interface PublishedVerdict {
	claimId: string;
	verdictId: string;
	correction: boolean;
}

const emptyReport = (): ImportReport => ({
	outcomes: [],
	changedClaims: [],
	createdClaims: [],
	newUrls: [],
	aliasedSpeakers: [],
	publishedVerdicts: [],
});

/** What an import verdict says about itself; stored verdicts are compared on these alone. */
interface VerdictSnapshot {
	rating: RatingKey;
	originalRating: string | null;
	headline: string;
	summary: string | null;
	url: string | null;
	language: string;
	/**
	 * Who published the review (the record's reviewer, ClaimReview `author`). Stored beside
	 * the review URL, not compared: the URL decides whose check it is, and a publisher
	 * renaming itself in its markup does not correct the verdict.
	 */
	reviewer: string | null;
}

/** Why a record whose review is as imported publishes nothing, when the verdict in force is another. */
const notInForce = (current: { imported: boolean; url: string | null }) =>
	`its review is unchanged since it was imported, but the claim's verdict in force is ${current.imported ? `another review (${current.url ?? "without an address"})` : "the desk's"}: not published again`;

const LINKED_VERDICT_WARNING =
	"linked to a claim recorded already in other words: its sources were added as appearances, its verdict was not imported";

const removedByDesk = (url: string) =>
	`the desk removed this appearance from the claim (${url}): not added again (add it on the desk if it was right after all)`;

// ---------------------------------------------------------------------------
// Speakers

/**
 * Mirrors speaker-matching's transliteration rule for word endings. It only widens the
 * candidate lookup below; the decision is the matcher's, so a drift between the two
 * costs a missed candidate, never a wrong match.
 */
function looseWord(word: string): string {
	if (word.length < 5) return word;
	if (/[iy][ijy]$/.test(word)) return `${word.slice(0, -2)}i`;
	if (/[aeou][jy]$/.test(word)) return `${word.slice(0, -1)}i`;
	return word;
}

const loose = (key: string) => key.split(" ").map(looseWord).join(" ");
const words = (key: string) => key.split(" ").length;

/** Where a spelling is filed, and where a query looks. */
interface IndexKeys {
	/** Full names: as folded, transliteration-tolerant and without spaces. */
	full: string[];
	/** Every key, tolerant: surnames (and one-word names). */
	surname: string[];
	/** Given names (a full name without a surname), tolerant. */
	given: string[];
	/** Tolerant given name and surname of one spelling, both required for a combined match. */
	pairs: [given: string, surname: string][];
}

/**
 * The keys of a name, from `nameKeys` (full names first, then surnames): the matcher's
 * steps compare full names, surnames, and a given name with a surname, so any spelling
 * the matcher could pair with a query shares one of these with it. Full names are the
 * keys with the most words; a given name is a full name minus a surname at either end
 * (Korean names put the family name first).
 */
function indexKeys(name: string): IndexKeys {
	const keys = nameKeys(name);
	const most = Math.max(0, ...keys.map(words));
	const fulls = keys.filter((k) => words(k) === most);
	const full = new Set<string>();
	const given = new Set<string>();
	const pairs: [string, string][] = [];
	for (const f of fulls) {
		full.add(f);
		full.add(loose(f));
		full.add(f.replaceAll(" ", ""));
		for (const s of keys) {
			let g: string | undefined;
			if (s !== f && f.endsWith(` ${s}`)) g = f.slice(0, f.length - s.length - 1);
			else if (s !== f && f.startsWith(`${s} `)) g = f.slice(s.length + 1);
			if (g === undefined) continue;
			given.add(loose(g));
			pairs.push([loose(g), loose(s)]);
		}
	}
	return { full: [...full], surname: [...new Set(keys.map(loose))], given: [...given], pairs };
}

interface DirectoryEntry {
	id: string;
	name: string;
	kind: SpeakerKind;
	spellings: string[];
	/** `foldName` of every spelling: what `speaker_aliases.normalized` holds. */
	folded: Set<string>;
}

type Index = Map<string, Set<string>>;

function file(index: Index, key: string, id: string): void {
	let ids = index.get(key);
	if (!ids) {
		ids = new Set();
		index.set(key, ids);
	}
	ids.add(id);
}

/**
 * Speakers with every spelling, indexed so that a name finds its few candidates without
 * a scan: a surname shared by hundreds of speakers only brings those who also share the
 * given name.
 */
class SpeakerDirectory {
	readonly entries = new Map<string, DirectoryEntry>();
	readonly full: Index = new Map();
	readonly surname: Index = new Map();
	readonly given: Index = new Map();

	entry(id: string, name: string, kind: SpeakerKind): DirectoryEntry {
		let entry = this.entries.get(id);
		if (!entry) {
			entry = { id, name, kind, spellings: [], folded: new Set() };
			this.entries.set(id, entry);
		}
		return entry;
	}

	addSpelling(entry: DirectoryEntry, spelling: string): void {
		const folded = foldName(spelling);
		if (!folded || entry.folded.has(folded)) return;
		entry.folded.add(folded);
		entry.spellings.push(spelling);
		const keys = indexKeys(spelling);
		for (const key of keys.full) file(this.full, key, entry.id);
		for (const key of keys.surname) file(this.surname, key, entry.id);
		for (const key of keys.given) file(this.given, key, entry.id);
	}
}

/** Speakers of any of the directories that the matcher could pair with the name. */
function candidatesFor(name: string, directories: readonly SpeakerDirectory[]): Set<string> {
	const keys = indexKeys(name);
	const ids = new Set<string>();
	const union = (pick: (d: SpeakerDirectory) => Index, key: string) => {
		const out = new Set<string>();
		for (const d of directories) for (const id of pick(d).get(key) ?? []) out.add(id);
		return out;
	};
	for (const key of keys.full) {
		for (const id of union((d) => d.full, key)) ids.add(id);
		// The query may be a surname alone ("Lawrow").
		for (const id of union((d) => d.surname, key)) ids.add(id);
	}
	for (const [given, surname] of keys.pairs) {
		const withGiven = union((d) => d.given, given);
		if (withGiven.size === 0) continue;
		for (const id of union((d) => d.surname, surname)) if (withGiven.has(id)) ids.add(id);
	}
	return ids;
}

/*
 * Loading every speaker for each batch would cost more than the batch as the table
 * grows, so the directory outlives the request in the isolate. It is valid while the
 * tables look as they did when it was loaded: row counts and the random id of the newest
 * row change with every insert or delete (also a rollback followed by other inserts).
 */
interface DirectoryKey {
	aliases: number;
	lastAlias: string | null;
	speakers: number;
	lastSpeaker: string | null;
}

let cachedDirectory: { key: DirectoryKey; directory: SpeakerDirectory } | null = null;

function sameKey(a: DirectoryKey, b: DirectoryKey): boolean {
	return (
		a.aliases === b.aliases &&
		a.lastAlias === b.lastAlias &&
		a.speakers === b.speakers &&
		a.lastSpeaker === b.lastSpeaker
	);
}

async function directoryKey(db: Db): Promise<DirectoryKey> {
	const row = await db.get<{ a: number; la: string | null; s: number; ls: string | null }>(sql`SELECT
		(SELECT count(*) FROM ${speakerAliases}) AS a,
		(SELECT id FROM ${speakerAliases} ORDER BY rowid DESC LIMIT 1) AS la,
		(SELECT count(*) FROM ${speakers}) AS s,
		(SELECT id FROM ${speakers} ORDER BY rowid DESC LIMIT 1) AS ls`);
	return {
		aliases: row?.a ?? 0,
		lastAlias: row?.la ?? null,
		speakers: row?.s ?? 0,
		lastSpeaker: row?.ls ?? null,
	};
}

async function loadDirectory(db: Db): Promise<{ key: DirectoryKey; directory: SpeakerDirectory }> {
	const key = await directoryKey(db);
	if (cachedDirectory && sameKey(cachedDirectory.key, key))
		return { key, directory: cachedDirectory.directory };
	const rows = await db
		.select({ id: speakers.id, name: speakers.name, kind: speakers.kind, alias: speakerAliases.alias })
		.from(speakers)
		.leftJoin(speakerAliases, sql`${speakerAliases.speakerId} = ${speakers.id}`)
		.orderBy(asc(speakers.id));
	const directory = new SpeakerDirectory();
	for (const row of rows) {
		const entry = directory.entry(row.id, row.name, row.kind);
		if (entry.spellings.length === 0) directory.addSpelling(entry, row.name);
		if (row.alias) directory.addSpelling(entry, row.alias);
	}
	cachedDirectory = { key, directory };
	return { key, directory };
}

/** Drops the isolate's speaker directory (tests that rewrite tables behind its back). */
function forgetSpeakerDirectory(): void {
	cachedDirectory = null;
}

type SpeakerResolution =
	| { speakerId: string; newSpeaker?: string; newAlias?: string }
	| { reason: string }
	| null;

interface PlannedSpeaker {
	id: string;
	input: ImportSpeaker;
}

interface PlannedAlias {
	id: string;
	speakerId: string;
	alias: string;
	normalized: string;
}

/**
 * Matches the speakers of one batch against the directory and against the speakers the
 * batch itself introduces, so "Sergej Lawrow" three rows after "Sergei Lawrow" is the
 * same new speaker. A full-name match in a new spelling becomes an alias; a surname alone
 * finds the speaker but is no alias (it would later decide between two people).
 */
class SpeakerResolver {
	readonly overlay = new SpeakerDirectory();
	readonly newSpeakers = new Map<string, PlannedSpeaker>();
	readonly newAliases = new Map<string, PlannedAlias>();
	readonly #memo = new Map<string, SpeakerResolution>();

	constructor(readonly base: SpeakerDirectory) {}

	resolve(speaker: ImportSpeaker | null): SpeakerResolution {
		if (speaker === null) return null;
		const name = speaker.name.trim();
		const memoKey = `${speaker.kind}\u0000${name}`;
		const known = this.#memo.get(memoKey);
		if (known !== undefined) return known;
		const resolution = this.#resolve(name, speaker);
		this.#memo.set(memoKey, resolution);
		return resolution;
	}

	#resolve(name: string, speaker: ImportSpeaker): SpeakerResolution {
		const folded = foldName(name);
		if (!folded) return { reason: "speaker.name: has no letters or digits" };
		const ids = candidatesFor(name, [this.base, this.overlay]);
		const candidates = [...ids].map((id) => this.#merged(id));
		const match = candidates.length > 0 ? createSpeakerMatcher(candidates)(name) : null;
		// A full name two speakers carry is a question, as in the write API (store/claims
		// `resolveSpeaker`): a new speaker each time split their claims among namesakes.
		const namesakes = match ? [] : candidates.filter((c) => c.folded.has(folded));
		if (namesakes.length > 1) {
			return {
				reason: `speaker.name: several speakers are called ${name}; record the claim on the desk or through the API with the speaker's id`,
			};
		}
		if (match) {
			const known = candidates.find((c) => c.id === match.id);
			if (match.score < MATCH_SCORES.combined || known?.folded.has(folded)) return { speakerId: match.id };
			const base = this.base.entries.get(match.id);
			const entry = this.overlay.entry(match.id, base?.name ?? name, base?.kind ?? speaker.kind);
			this.overlay.addSpelling(entry, name);
			// A speaker new in this batch gets the spelling with its own alias rows.
			const planned = this.newSpeakers.get(match.id);
			if (planned) return { speakerId: match.id, newSpeaker: planned.id };
			const alias = { id: newId(), speakerId: match.id, alias: name, normalized: folded };
			this.newAliases.set(alias.id, alias);
			return { speakerId: match.id, newAlias: alias.id };
		}
		const id = newId();
		this.overlay.addSpelling(this.overlay.entry(id, name, speaker.kind), name);
		this.newSpeakers.set(id, { id, input: speaker });
		return { speakerId: id, newSpeaker: id };
	}

	#merged(id: string): {
		id: string;
		name: string;
		aliases: string[];
		kind: SpeakerKind;
		folded: Set<string>;
	} {
		const base = this.base.entries.get(id);
		const extra = this.overlay.entries.get(id);
		const name = base?.name ?? extra?.name ?? "";
		const aliases = [...(base?.spellings ?? []), ...(extra?.spellings ?? [])];
		const folded = new Set([...(base?.folded ?? []), ...(extra?.folded ?? [])]);
		return { id, name, aliases, kind: base?.kind ?? extra?.kind ?? "person", folded };
	}

	/** Recorded speakers (not new in this batch) whose spellings include the full name: namesakes. */
	namesakes(name: string): string[] {
		const folded = foldName(name);
		return [...candidatesFor(name, [this.base])].filter((id) =>
			this.base.entries.get(id)?.folded.has(folded),
		);
	}

	/** Whether the name could mean this speaker at all, by any step of the matcher. */
	couldBe(speakerId: string, name: string): boolean {
		return createSpeakerMatcher([this.#merged(speakerId)])(name) !== null;
	}

	/** Spellings of a new speaker collected in this batch (its name first). */
	spellingsOf(id: string): string[] {
		return this.overlay.entries.get(id)?.spellings ?? [];
	}
}

/**
 * The recorded speakers each record's name is, resolved as the batch's planning resolves it
 * (`SpeakerResolver` over the isolate's directory, the records in order): one id; the
 * namesakes' ids when two or more carry the name (a question the store leaves open for a
 * new claim); none when the name is no recorded speaker's (the import would make one); null
 * when the record names no one. For the decision which recorded claim a record restates
 * (commands/import-batch), made before the store plans the batch; nothing is planned here.
 */
export async function recordedSpeakersOf(
	db: Db,
	records: readonly ImportRecord[],
): Promise<(readonly string[] | null)[]> {
	const { directory } = await loadDirectory(db);
	const resolver = new SpeakerResolver(directory);
	return records.map(({ speaker }) => {
		const resolution = resolver.resolve(speaker);
		if (resolution === null || speaker === null) return null;
		if ("reason" in resolution) return resolver.namesakes(speaker.name);
		return directory.entries.has(resolution.speakerId) ? [resolution.speakerId] : [];
	});
}

// ---------------------------------------------------------------------------
// Claims

interface StoredVerdict extends VerdictSnapshot {
	id: string;
	state: "published" | "superseded" | "retracted";
	imported: boolean;
}

/** A claim as the batch sees it: read from D1, or planned earlier in this batch. */
interface ClaimState {
	id: string;
	isNew: boolean;
	seq: number;
	externalId: string | null;
	fingerprint: string;
	speakerId: string | null;
	key: string;
	text: string;
	claimedAt: string | null;
	context: string | null;
	language: string;
	sourceIds: Set<string>;
	/**
	 * Canonical URLs of the sources whose appearance the desk removed from the claim (its
	 * `claim_changes` rows of field "appearance"): named by mistake, never added back by an
	 * import, which would list the source again under the public "Appearance removed" note.
	 */
	removedUrls: Set<string>;
	/**
	 * The texts the claim had before the desk's edits (its `claim_changes` rows of field
	 * "text"): the publisher's record still states the text it was imported with.
	 */
	earlierTexts: string[];
	/**
	 * The fingerprints of those texts (`claim_changes.from_fingerprint`) a record of this batch
	 * has: a record without an external id in the words the claim was imported with is the
	 * claim's too, found by them when no claim has the record's words now.
	 */
	earlierFingerprints: Set<string>;
	/**
	 * The speaker name (folded) the record that created the claim named, null when it named
	 * none; undefined when no import created it. The same quote by that name is the same
	 * record, whatever the desk made of the claim's speaker since (renamed without keeping
	 * the old name, another speaker, none).
	 */
	importedSpeaker?: string | null;
	hasFirst: boolean;
	/** The published verdict, if any: what a new verdict supersedes. */
	current: StoredVerdict | null;
	/**
	 * The newest verdict (any state but draft) an import wrote of each review, by its address
	 * (`reviewKey`): a record is compared with its own review's, so two publishers' feeds of
	 * one claim each run again without publishing a correction over the other's.
	 */
	importedReviews: Map<string | null, StoredVerdict>;
	/** Whether a verdict was ever public (published, superseded or retracted): a new one is then published now. */
	reviewed: boolean;
	/**
	 * The first record of this batch that carried a verdict for the claim (its index) and that
	 * verdict, whether it changed anything or not: a later record of the claim with another
	 * verdict is refused, on every run alike.
	 */
	verdictOf?: { index: number; snapshot: VerdictSnapshot };
}

/**
 * Does a record found by its external id state the claim stored under it? The same words,
 * or a restatement the claim matcher takes for the same claim (a publisher fixing a typo or
 * rewording `claimReviewed`), asked as the desk's "already checked" asks it: the record's
 * words against the claim's. Not another claim that happens to share the id. Its text now
 * or any it had before the desk's edits: a transcription the desk fixed ("20 percent" → "2
 * percent") is no other claim to the matcher's number guard, and refusing the record kept
 * the publisher's verdict corrections out on every later run.
 *
 * The publisher's rewording is not stored as another text of the claim: those are the
 * claim's edit history (`claim_changes`, on its page once reviewed), which it never read
 * so; and a wording stored would let the next rewording be matched against it, drifting
 * from our claim one rewording at a time. Matching anew on each run compares two texts.
 */
function statesSameClaim(claim: ClaimState, record: ImportRecord): boolean {
	const texts = [claim.text, ...claim.earlierTexts];
	if (texts.includes(record.claim.text)) return true;
	const words = spacedOut(record.claim.text);
	if (texts.some((text) => spacedOut(asText(text)) === words)) return true;
	const theirs = matchFeatures(record.claim.text, record.claim.language ?? claim.language);
	return texts.some(
		(text) => classifyMatch(compareClaims(theirs, matchFeatures(text, claim.language))) === "same",
	);
}

/**
 * A stored text as the CLI's mapping reads a ClaimReview's now (reader/html-text, the one
 * reading of both), cleaned as the record's words were (schemas/common: a soft hyphen or a
 * zero-width space from `&shy;`, `&#8203;` gone). Claims imported before it did kept a CMS's
 * markup (`&quot;alles&quot; <em>befreit</em>`), and the same review's clean words are no
 * other claim; the matcher alone missed some (`&#8222;…&#8220;`, `<p>`, `3&nbsp;Prozent`).
 */
function asText(text: string): string {
	if (!text.includes("<") && !text.includes("&")) return text;
	return cleanPlainText(htmlAsText(text), false);
}

/** White space as one space, none at the ends: the mapping trims and joins around a breaking tag. */
const spacedOut = (text: string) => text.replace(/\s+/gu, " ").trim();

/** A claim's text in a warning or a reason: whole up to 200 characters, then cut. */
const quoted = (text: string) => `“${text.length > 200 ? `${text.slice(0, 199)}…` : text}”`;

const claimKey = (fingerprint: string, speakerId: string | null) => `${fingerprint}\u0000${speakerId ?? ""}`;

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** The verdict a record carries, as the claim's verdicts are compared (`comparableVerdict`). */
export function snapshotOf(record: ImportRecord): VerdictSnapshot | null {
	const v = record.verdict;
	if (!v) return null;
	return {
		rating: v.rating,
		originalRating: v.originalRating,
		headline: v.headline,
		summary: v.summary ?? null,
		url: v.url === undefined ? null : storedReviewUrl(v.url),
		language: v.language ?? record.claim.language,
		reviewer: v.reviewer ?? null,
	};
}

/**
 * A review's address as it is compared: canonical, as a source's is (domain/canonical-url:
 * tracking parameters and the fragment dropped). A partner's feed tags the same review's
 * link (`?utm_source=partner&utm_campaign=…`), and compared as written it read as another
 * review: a public "review link changed" correction on each run, again with each campaign.
 * Verdicts imported before were stored as written (tagged, or as typed), which this reads
 * as the same review too, and so is one the CLI sent with its character references as the
 * markup wrote them (`?p=123&amp;lang=de`, before f287 decoded addresses): read as an
 * attribute's value is (`&amp;` is "&", `?a=1&copy=2` stays), as the CLI reads it now. An
 * address the sources' rules refuse (a single-label host) is compared as records write it
 * (schemas/common `writtenAsUrl`).
 */
function reviewUrl(url: string | null): string | null {
	if (url === null) return null;
	const decoded = decodeEntities(url, true);
	try {
		return canonicalizeUrl(decoded).url;
	} catch (error) {
		if (!(error instanceof InvalidUrlError)) throw error;
	}
	try {
		return writtenAsUrl(decoded);
	} catch {
		return decoded;
	}
}

/**
 * A review's address as an import stores it: as written, less tracking parameters
 * (domain/canonical-url `withoutTracking`), so readers, Google's `url` and the archive get
 * the review and not a partner's campaign. Not canonical: the path stays as the publisher
 * wrote it (a trailing slash their site may need), and so does the fragment, which may be
 * the claim's place on a roundup page (`#claim-3`); `reviewUrl` compares without it.
 */
function storedReviewUrl(url: string): string {
	try {
		return withoutTracking(url);
	} catch {
		return url;
	}
}

/** Which review a verdict is (its canonical address): a record is compared with its own review's last import. */
const reviewKey = (v: Pick<VerdictSnapshot, "url">) => reviewUrl(v.url);

/**
 * What of a verdict is compared, as one string: two verdicts are the same exactly when
 * theirs are equal. Text compared as records are cleaned now (schemas/import-record):
 * verdicts imported before were stored raw (line breaks, outer spaces, decomposed letters),
 * and the same feed again must not read as a correction. `npm run import` compares the
 * records of a whole file by it (scripts/lib/import-conflicts), across its requests.
 */
export function comparableVerdict(v: VerdictSnapshot): string {
	const line = (text: string) => cleanPlainText(text, false);
	const block = (text: string | null) => (text === null ? null : cleanPlainText(text, true));
	return JSON.stringify([
		v.rating,
		line(v.originalRating ?? ""),
		line(v.headline),
		block(v.summary),
		reviewUrl(v.url),
		v.language ?? null,
	]);
}

/** Whether a record restates the stored verdict (`comparableVerdict`). */
function sameVerdict(a: VerdictSnapshot, b: VerdictSnapshot): boolean {
	return comparableVerdict(a) === comparableVerdict(b);
}

/**
 * What a correction changed, as its public note: a marker each surface renders in its
 * reader's language with the ratings' labels (domain/import-correction), not prose.
 */
function describeChange(before: VerdictSnapshot | null, after: VerdictSnapshot): string {
	if (!before) return importCorrectionNote([]);
	const changes: ImportChange[] = [];
	if (before.rating !== after.rating) changes.push({ from: before.rating, to: after.rating });
	if (before.originalRating !== after.originalRating && before.rating === after.rating)
		changes.push("original rating");
	if (before.headline !== after.headline) changes.push("headline");
	if (before.summary !== after.summary) changes.push("summary");
	// Canonical on both sides: a review stored tagged (before) and its clean link are one link.
	if (reviewUrl(before.url) !== reviewUrl(after.url)) changes.push("review link");
	if (before.language !== after.language) changes.push("language");
	return importCorrectionNote(changes);
}

function firstEvidenceUrl(json: string): string | null {
	try {
		const value: unknown = JSON.parse(json);
		if (!Array.isArray(value)) return null;
		const first: unknown = value[0];
		if (typeof first !== "object" || first === null || !("url" in first)) return null;
		return typeof first.url === "string" ? first.url : null;
	} catch {
		return null;
	}
}

/**
 * The calendar date a publisher gave, as the timestamp column expects: an instant on that day
 * both in the newsroom's zone, which pages, ClaimReview and the DataFeed read the day back in
 * (domain/time-zone `dayIn`), and in UTC, which Google's reviewDate, the API's reviewedAt and
 * its reviewedSince filter read: the later of the two midnights. Midnight UTC alone read
 * "29 February" for 1 March west of UTC; the zone's alone read 29 February at 23:00Z in Berlin.
 * Now when there is none, or when the day has not begun yet (schemas/import-record's day of
 * grace for time zones ahead of UTC): it was not public here before the import, and dated
 * ahead it stood in the future on the feed and Google's reviewDate, after the correction the
 * publisher made that day.
 */
function publishedTimestamp(date: string | undefined, now: string): string {
	if (!date) return now;
	const utc = `${date}T00:00:00.000Z`;
	const local = startOfDay(date, shownTimeZone());
	const day = local > utc ? local : utc;
	return day < now ? day : now;
}

interface PreparedRecord {
	record: ImportRecord;
	/** The recorded claim the record restates in other words (the claim matcher's call), if any. */
	linkTo: string | null;
	/** Its externalId names a claim merged or removed: never one of its review page's claims (`reviewPage`). */
	retired: boolean;
	fingerprint: string;
	/** Canonical source URLs, the first appearance first, each once. */
	sources: { url: string; domain: string; input: ImportRecord["sources"][number] }[];
	/** Sources left out, with why ("sources.0.url: The address must not contain a user name or password."). */
	unusable: string[];
	warnings: string[];
}

async function prepare(
	record: ImportRecord,
	linkTo: string | null,
	retired = false,
): Promise<PreparedRecord> {
	const unusable: string[] = [];
	const sourceList: PreparedRecord["sources"] = [];
	record.sources.forEach((input, i) => {
		try {
			const { url, domain } = canonicalizeUrl(input.url);
			if (!sourceList.some((s) => s.url === url)) sourceList.push({ url, domain, input });
		} catch (error) {
			if (!(error instanceof InvalidUrlError)) throw error;
			unusable.push(`sources.${i}.url: ${error.message}`);
		}
	});
	return {
		record,
		linkTo,
		retired,
		fingerprint: await claimFingerprint(record.claim.text),
		sources: sourceList,
		unusable,
		warnings: unusable.map((reason) => `${reason} Left out.`),
	};
}

/** Why a record of a new claim whose every source is unusable is refused, naming each. */
function withoutSource(p: PreparedRecord): string {
	return `${p.unusable.join(" ")} The claim would be recorded without the source it appeared in: give one the desk would take.`;
}

const claimColumns = {
	id: claims.id,
	seq: claims.seq,
	externalId: claims.externalId,
	fingerprint: claims.fingerprint,
	speakerId: claims.speakerId,
	text: claims.text,
	claimedAt: claims.claimedAt,
	context: claims.context,
	language: claims.language,
};

type ClaimRow = { [K in keyof typeof claimColumns]: (typeof claims.$inferSelect)[K] };

/** What the batch's decisions depend on, read before any of them is made. */
interface ReadState {
	/** Matching claims with their appearances and verdicts, oldest first. */
	claims: ClaimState[];
	/** Known sources: canonical URL → id. */
	sourceIds: Map<string, string>;
	/** Slugs new speakers could collide with. */
	takenSlugs: Set<string>;
}

/**
 * Claims with an earlier text of one of these fingerprints (the desk corrected it), by
 * `claim_changes_from_fingerprint_idx` and the claims' key; not by the earlier texts of a
 * claim merged into them (`merged_from`): those link, as the merged claim's words do.
 */
export function earlierTextClaimsRead(db: Db, fingerprints: readonly string[]) {
	return (
		db
			.selectDistinct(claimColumns)
			.from(claimChanges)
			.innerJoin(claims, eq(claims.id, claimChanges.claimId))
			// Not a merged claim's (`merged_from`): those words lead to the claim kept as a link (store/merged-words).
			.where(and(inArray(claimChanges.fromFingerprint, [...fingerprints]), isNull(claimChanges.mergedFrom)))
	);
}

/*
 * The id the CLI's ClaimReview mapping gives each claim of a review page with several:
 * `<url>#claim-<FNV-1a of its words>`, `-2`… when two share the hash (scripts/lib/import-mapping).
 */
const PAGE_CLAIM_ID = /#claim-[0-9a-f]{8}(?:-\d+)?$/;

/** `<url>#claim-` of such an id: what the ids of its page's other claims begin with. */
function reviewPageOf(externalId: string | null | undefined): string | null {
	const suffix = externalId ? PAGE_CLAIM_ID.exec(externalId) : null;
	return externalId && suffix ? externalId.slice(0, suffix.index + "#claim-".length) : null;
}

/**
 * Claims whose externalId begins with one of these `<url>#claim-` (a review page's other
 * claims), by `claims_external_id_unique`: each base a range of the index, from the base to
 * the base with its last "-" as "." (the next character), all in one JSON parameter.
 */
function reviewPageClaimsRead(db: Db, bases: readonly string[]) {
	const list = JSON.stringify(bases);
	return db
		.select(claimColumns)
		.from(claims)
		.where(
			sql`${claims.id} IN (SELECT c.id FROM json_each(${list}) AS g JOIN ${claims} AS c ON c.external_id > g.value AND c.external_id < substr(g.value, 1, length(g.value) - 1) || '.')`,
		);
}

/** Claims the records could be (by external id, fingerprint or link), known sources and taken slugs, read in parallel. */
async function readMatches(db: Db, prepared: readonly PreparedRecord[], slugBases: readonly string[]) {
	const linked = [...new Set(prepared.flatMap((p) => (p.linkTo ? [p.linkTo] : [])))];
	const externalIds = [
		...new Set(prepared.map((p) => p.record.externalId).filter((id): id is string => id !== undefined)),
	];
	const fingerprints = [...new Set(prepared.map((p) => p.fingerprint))];
	const urls = [...new Set(prepared.flatMap((p) => p.sources.map((s) => s.url)))];
	// Only a record with a review can be one of its review page's claims (`BatchPlan#reviewPage`).
	const pages = [
		...new Set(
			prepared.flatMap((p) => {
				const page = p.record.verdict ? reviewPageOf(p.record.externalId) : null;
				return page ? [page] : [];
			}),
		),
	];
	const [byId, byExternal, byFingerprint, byEarlierText, sourceRows, takenSlugs] = await Promise.all([
		Promise.all(
			chunks(linked, MAX_PARAMS).map((ids) =>
				db.select(claimColumns).from(claims).where(inArray(claims.id, ids)),
			),
		),
		// By external id, and the other claims of their review pages by theirs.
		Promise.all([
			...chunks(externalIds, MAX_PARAMS).map((ids) =>
				db.select(claimColumns).from(claims).where(inArray(claims.externalId, ids)),
			),
			...(pages.length > 0 ? [reviewPageClaimsRead(db, pages)] : []),
		]),
		Promise.all(
			chunks(fingerprints, MAX_PARAMS).map((fps) =>
				db.select(claimColumns).from(claims).where(inArray(claims.fingerprint, fps)),
			),
		),
		// Claims whose text the desk corrected from the record's words (store/earlier-texts),
		// by `claim_changes_from_fingerprint_idx`.
		Promise.all(chunks(fingerprints, MAX_PARAMS).map((fps) => earlierTextClaimsRead(db, fps))),
		Promise.all(
			chunks(urls, MAX_PARAMS).map((list) =>
				db.select({ id: sources.id, url: sources.url }).from(sources).where(inArray(sources.url, list)),
			),
		),
		slugsTaken(db, slugBases),
	]);
	const claimRows = new Map<string, ClaimRow>();
	for (const row of [...byId.flat(), ...byExternal.flat(), ...byFingerprint.flat(), ...byEarlierText.flat()])
		claimRows.set(row.id, row);
	return { claimRows, sourceRows: sourceRows.flat(), takenSlugs };
}

/**
 * Appearances, removed appearances, earlier texts, verdicts (all but drafts) and the speaker
 * of the record that created them (its `import-create` audit entry) of the matching claims.
 */
async function readClaimDetails(db: Db, ids: readonly string[]) {
	const [appearanceRows, changeRows, verdictRows, importRows] = await Promise.all([
		Promise.all(
			chunks(ids, MAX_PARAMS).map((list) =>
				db
					.select({
						claimId: appearances.claimId,
						sourceId: appearances.sourceId,
						isFirst: appearances.isFirst,
					})
					.from(appearances)
					.where(inArray(appearances.claimId, list)),
			),
		),
		Promise.all(
			chunks(ids, MAX_PARAMS).map((list) =>
				db
					.select({
						claimId: claimChanges.claimId,
						field: claimChanges.field,
						fromValue: claimChanges.fromValue,
						fromFingerprint: claimChanges.fromFingerprint,
					})
					.from(claimChanges)
					// The fields inline: a chunk's ids take every bound parameter D1 allows.
					.where(
						and(
							inArray(claimChanges.claimId, list),
							sql`${claimChanges.field} IN ('appearance', 'text')`,
							// A merged claim's texts are its own, not this claim's earlier ones.
							isNull(claimChanges.mergedFrom),
						),
					),
			),
		),
		Promise.all(
			chunks(ids, MAX_PARAMS).map((list) =>
				db
					.select({
						id: verdicts.id,
						claimId: verdicts.claimId,
						state: verdicts.state,
						rating: verdicts.rating,
						originalRating: verdicts.originalRating,
						headline: verdicts.headline,
						summary: verdicts.summary,
						evidence: verdicts.evidence,
						language: verdicts.language,
						reviewPublisher: verdicts.reviewPublisher,
					})
					.from(verdicts)
					.where(and(inArray(verdicts.claimId, list), sql`${verdicts.state} <> 'draft'`))
					// rowid: insertion order, also between verdicts written in the same millisecond
					.orderBy(asc(verdicts.createdAt), sql`${verdicts}.rowid`),
			),
		),
		Promise.all(chunks(ids, MAX_PARAMS).map((list) => importCreateRows(db, list))),
	]);
	const changes = changeRows.flat();
	return {
		appearances: appearanceRows.flat(),
		removals: changes.filter((change) => change.field === "appearance"),
		texts: changes.filter((change) => change.field === "text"),
		verdicts: verdictRows.flat(),
		imports: importRows.flat(),
	};
}

/** The `import-create` audit entries of these claims: the speaker the record that created each named. */
function importCreateRows(db: Db, claimIds: readonly string[]) {
	return db
		.select({
			claimId: auditLog.entityId,
			speakerType: sql<string | null>`json_type(${auditLog.changes}, '$.record.speaker')`,
			speakerName: sql<unknown>`json_extract(${auditLog.changes}, '$.record.speaker.name')`,
		})
		.from(auditLog)
		.where(
			and(
				// By `audit_log_entity_idx`; the entity and action inline (a chunk's ids take every parameter).
				sql`${auditLog.entity} = 'claim'`,
				inArray(auditLog.entityId, claimIds),
				sql`${auditLog.action} = 'import-create'`,
			),
		);
}

/**
 * The speaker name (folded; null for none) the record that created each of these claims
 * named, for the claims an import created: the same quote by that name is that record's
 * claim (`ClaimState.importedSpeaker`), which commands/import-batch leaves to the batch.
 */
export async function namedAtImport(
	db: Db,
	claimIds: readonly string[],
): Promise<Map<string, string | null>> {
	const rows = await Promise.all(chunks(claimIds, MAX_PARAMS).map((list) => importCreateRows(db, list)));
	const named = new Map<string, string | null>();
	for (const row of rows.flat()) {
		const name = importedSpeaker(row);
		if (name !== undefined) named.set(row.claimId, name);
	}
	return named;
}

/** The speaker the record that created a claim named (folded), null for none, undefined when unknown. */
function importedSpeaker(row: {
	speakerType: string | null;
	speakerName: unknown;
}): string | null | undefined {
	if (row.speakerType === "null") return null;
	return typeof row.speakerName === "string" ? foldName(row.speakerName) : undefined;
}

/** The matching claims as the batch sees them: with their sources, published verdict and last imported one. */
function claimStates(
	rows: Iterable<ClaimRow>,
	details: Awaited<ReturnType<typeof readClaimDetails>>,
): ClaimState[] {
	const states = new Map<string, ClaimState>();
	for (const row of rows) {
		states.set(row.id, {
			...row,
			isNew: false,
			key: claimKey(row.fingerprint, row.speakerId),
			sourceIds: new Set(),
			removedUrls: new Set(),
			earlierTexts: [],
			earlierFingerprints: new Set(),
			hasFirst: false,
			current: null,
			importedReviews: new Map(),
			reviewed: false,
		});
	}
	for (const t of details.texts) {
		const state = states.get(t.claimId);
		if (t.fromValue) state?.earlierTexts.push(t.fromValue);
		if (t.fromFingerprint && t.fromFingerprint !== state?.fingerprint)
			state?.earlierFingerprints.add(t.fromFingerprint);
	}
	for (const row of details.imports) {
		const state = states.get(row.claimId);
		if (state) state.importedSpeaker = importedSpeaker(row);
	}
	for (const a of details.appearances) {
		const state = states.get(a.claimId);
		if (!state) continue;
		state.sourceIds.add(a.sourceId);
		if (a.isFirst) state.hasFirst = true;
	}
	for (const r of details.removals) {
		const url = removedAppearanceUrl(r.fromValue);
		if (url) states.get(r.claimId)?.removedUrls.add(url);
	}
	for (const v of details.verdicts) {
		const state = states.get(v.claimId);
		if (!state || v.state === "draft") continue;
		state.reviewed = true;
		const imported = v.originalRating !== null;
		const stored: StoredVerdict = {
			id: v.id,
			state: v.state,
			imported,
			rating: v.rating,
			originalRating: v.originalRating,
			headline: v.headline,
			summary: v.summary,
			url: imported ? firstEvidenceUrl(v.evidence) : null,
			language: v.language,
			reviewer: v.reviewPublisher,
		};
		if (v.state === "published") state.current = stored;
		if (imported) state.importedReviews.set(reviewKey(stored), stored);
	}
	return [...states.values()].sort((a, b) => a.seq - b.seq);
}

/** Reads what the batch's decisions depend on: matching claims with appearances and verdicts, known sources, taken slugs. */
async function readState(
	db: Db,
	prepared: readonly PreparedRecord[],
	slugBases: readonly string[],
): Promise<ReadState> {
	// Text changes recorded before their fingerprints were: matched below once filled.
	await fillEarlierTextFingerprints(db);
	const matches = await readMatches(db, prepared, slugBases);
	const details = await readClaimDetails(db, [...matches.claimRows.keys()]);
	return {
		claims: claimStates(matches.claimRows.values(), details),
		sourceIds: new Map(matches.sourceRows.map((s) => [s.url, s.id])),
		takenSlugs: matches.takenSlugs,
	};
}

// ---------------------------------------------------------------------------
// Planning and writing

type Row<T extends { $inferInsert: unknown }> = T["$inferInsert"];

interface Plan extends ImportReport {
	statements: Statement[];
	/** Records refused as another verdict of a claim an earlier record gave one: index → reason (`RecordBatch.refused`). */
	conflicts: ReadonlyMap<number, string>;
	/** What to add to the isolate's speaker directory once the batch is committed. */
	written: {
		speakers: { id: string; name: string; kind: SpeakerKind; spellings: string[] }[];
		aliases: PlannedAlias[];
	};
	startKey: DirectoryKey;
	/** The directory key after the batch, if no one else wrote speakers meanwhile. */
	expectedKey: DirectoryKey;
}

/** A speaker the record's name was resolved to (or none), not a reason to reject it. */
type SpeakerMatch = Exclude<SpeakerResolution, { reason: string }>;

/** The claim a record is, as far as the batch knows: its speaker and key may be the stored claim's. */
interface Match {
	claim: ClaimState | undefined;
	speakerId: string | null;
	key: string;
	resolution: SpeakerMatch;
}

/**
 * The plan of one batch while it is made: what was read, the claims known so far (read or
 * planned by an earlier record), and the rows, statements, audit entries and outcomes the
 * records add up to. `add` each record in order, then `finish`.
 */
class BatchPlan {
	readonly now = nowIso();
	readonly outcomes: ImportOutcome[] = [];
	readonly changedClaims: string[] = [];
	readonly createdClaims: string[] = [];
	readonly #publishedVerdicts = new Map<string, PublishedVerdict>();
	readonly #newUrls = new Set<string>();
	readonly #byId = new Map<string, ClaimState>();
	readonly #byExternal = new Map<string, ClaimState>();
	readonly #byKey = new Map<string, ClaimState[]>();
	readonly #byFingerprint = new Map<string, ClaimState[]>();
	/** Claims by the fingerprints and keys of their earlier texts: asked when none has the words now. */
	readonly #byEarlierKey = new Map<string, ClaimState[]>();
	readonly #byEarlierFingerprint = new Map<string, ClaimState[]>();
	/** Stored claims by their review page (`reviewPageOf` their externalId). */
	readonly #byReviewPage = new Map<string, ClaimState[]>();
	readonly #newSources = new Map<string, Row<typeof sources>>();
	readonly #claimRows: Row<typeof claims>[] = [];
	readonly #verdictRows: Row<typeof verdicts>[] = [];
	readonly #appearanceRows: Row<typeof appearances>[] = [];
	readonly #auditRows: Row<typeof auditLog>[] = [];
	readonly #supersedeStatements: Statement[] = [];
	readonly #claimUpdates: Statement[] = [];
	/** Claims stored before the batch that it gives an appearance: their last public change (domain/public-change). */
	readonly #appeared = new Set<string>();
	/** Known claims given their first appearance: without a speaker, their entries' titles name its publisher now. */
	readonly #firstAppeared = new Set<string>();
	readonly #keyGuards: { fingerprint: string; speakerId: string | null }[] = [];
	readonly #newClaimsWithVerdict: string[] = [];
	readonly #usedSpeakers = new Set<string>();
	readonly #usedAliases = new Set<string>();
	/** Records refused as another verdict of a claim an earlier record of the batch gave one: index → reason. */
	readonly conflicts = new Map<number, string>();

	constructor(
		readonly db: Db,
		readonly actor: Actor,
		readonly state: ReadState,
		readonly resolver: SpeakerResolver,
		/** The hosts of our own reviews (lib/publisher `house`): any other's review is another publisher's. */
		readonly ownSites: readonly string[],
		/** Each record's position in the client's batch, which reasons name. */
		readonly positions: readonly number[],
		/** The externalIds the batch's records carry. */
		readonly sentIds: ReadonlySet<string>,
	) {
		for (const claim of state.claims) {
			this.#index(claim);
			const page = reviewPageOf(claim.externalId);
			if (page) this.#byReviewPage.set(page, [...(this.#byReviewPage.get(page) ?? []), claim]);
		}
	}

	/**
	 * Decides what one record is: rejected, a new claim, the same claim as a known one (maybe
	 * updated), or a known claim in other words (linked; its speaker was not resolved, it is
	 * the claim's).
	 */
	add(p: PreparedRecord, i: number, resolution: SpeakerResolution): void {
		const page = this.#reviewPage(p);
		// One of its review page's claims in other words is the record's own (its verdict
		// applied), not a claim the matcher links it to (its verdict dropped).
		if (p.linkTo && !page.claim) {
			const linked = this.#byId.get(p.linkTo);
			if (linked) this.#link(p, linked);
			else this.outcomes.push({ status: "rejected", reason: "the claim it restates is gone; send it again" });
			return;
		}
		// A name the batch cannot resolve (two speakers carry it) matters only for a new claim:
		// a record of a stored claim is that claim's, speaker and all.
		const refusal = resolution && "reason" in resolution ? resolution.reason : null;
		const match = this.#match(p, resolution && "reason" in resolution ? undefined : resolution, page.claim);
		const { claim } = match;
		if (!claim && refusal !== null) {
			this.outcomes.push({ status: "rejected", reason: refusal });
			return;
		}
		const snapshot = snapshotOf(p.record);
		if (claim && p.record.externalId && !statesSameClaim(claim, p.record)) {
			// Its verdict would be published on a claim it does not state (two claims of one
			// page sent under the page's one id), and the next run would turn it back. Said so,
			// with both texts: the matcher may have missed a rewording, which the desk can settle.
			this.outcomes.push({
				status: "rejected",
				reason: `its externalId is that of claim ${claim.id} (${quoted(claim.text)}), and its text (${quoted(p.record.claim.text)}) is not the same claim to our claim matcher: it could be an id reused for another claim. If so, give each claim its own id; if it is the publisher's rewording of this claim, put their words into the claim on the desk (its earlier words stay known to imports)`,
			});
			return;
		}
		if (claim?.verdictOf && snapshot && !sameVerdict(claim.verdictOf.snapshot, snapshot)) {
			// Named by its place in the client's batch, which reads it there.
			const reason = `same claim as record ${this.positions[claim.verdictOf.index] ?? claim.verdictOf.index} of this batch, with a different verdict`;
			this.conflicts.set(i, reason);
			this.outcomes.push({ status: "rejected", reason });
			return;
		}
		if (!claim && p.sources.length === 0 && p.unusable.length > 0) {
			// Its sources all left out, the claim would be recorded without the appearance the
			// record gives it (the desk refuses such an address outright). A record of a known
			// claim keeps its claim's appearances; one that names no source at all is recorded
			// without (docs/decisions.md, "Imports follow the desk's rules").
			this.outcomes.push({ status: "rejected", reason: withoutSource(p) });
			return;
		}
		if (match.resolution?.newSpeaker) this.#usedSpeakers.add(match.resolution.newSpeaker);
		const changes: string[] = [];
		if (match.resolution?.newAlias && !this.#usedAliases.has(match.resolution.newAlias)) {
			this.#usedAliases.add(match.resolution.newAlias);
			changes.push("speaker-alias");
		}
		if (claim) {
			this.#update(p, claim, snapshot, changes);
			if (snapshot) claim.verdictOf ??= { index: i, snapshot };
		} else this.#create(p, i, match, snapshot, page.others);
	}

	/**
	 * A record under an id not seen before, on a review page whose claims were imported under
	 * ids of their own (`<url>#claim-<hash of its words>`): a publisher fixing a typo in one
	 * claim gives it a new id, and it was recorded a second time, "Richtig" beside "Falsch" on
	 * the lists, the speaker's page and Google's answer. Its claim is the page's one that states
	 * the same claim (`statesSameClaim`, as for a rewording under its id) and had its verdict
	 * imported from this review, among those whose own id no record of the batch carries (the
	 * page's claims the feed still sends are theirs); else the page's such claims, to name.
	 */
	#reviewPage(p: PreparedRecord): { claim?: ClaimState; others: ClaimState[] } {
		const { record } = p;
		const page = reviewPageOf(record.externalId);
		const snapshot = snapshotOf(record);
		if (!page || !snapshot || p.retired || !record.externalId || this.#byExternal.has(record.externalId))
			return { others: [] };
		const key = reviewKey(snapshot);
		const others = (this.#byReviewPage.get(page) ?? []).filter(
			(c) => c.externalId !== null && !this.sentIds.has(c.externalId) && c.importedReviews.has(key),
		);
		// Its words and its speaker, as `#byQuote` asks: one page may review the same words by
		// two people (`#claim-<hash>-2`), and the other's claim is another claim.
		const same = others.filter((c) => statesSameClaim(c, record) && this.#namesSpeakerOf(c, record));
		return same.length === 1 ? { claim: same[0], others } : { others };
	}

	/**
	 * Whether the record's speaker could be the claim's: the name the record that created it
	 * named, whatever became of its speaker since; else a name that could mean its speaker now
	 * ("Müller" may have found Anna Müller on the first run and be ambiguous on the next); no
	 * name for a claim without a speaker.
	 */
	#namesSpeakerOf(c: ClaimState, record: ImportRecord): boolean {
		const name = record.speaker?.name;
		if (c.importedSpeaker !== undefined && c.importedSpeaker === (name === undefined ? null : foldName(name)))
			return true;
		if (c.speakerId === null || name === undefined) return c.speakerId === null && name === undefined;
		return this.resolver.couldBe(c.speakerId, name);
	}

	/**
	 * The known claim a record is, with the claim's speaker: a record of a stored claim
	 * neither makes a speaker nor gives one a spelling unless its name is the claim's
	 * speaker's (by external id, the record's own speaker was made: an orphan of the old
	 * spelling after a rename, which later records of that spelling went to). `resolution`
	 * undefined: the name has no one speaker (namesakes), which only a new claim needs.
	 */
	#match(p: PreparedRecord, resolution: SpeakerMatch | undefined, onPage?: ClaimState): Match {
		const speakerId = resolution?.speakerId ?? null;
		const key = claimKey(p.fingerprint, speakerId);
		const claim = this.#stored(p, key, resolution !== undefined, onPage);
		if (claim && (resolution === undefined || claim.speakerId !== speakerId)) {
			const matched = claim.speakerId ? { speakerId: claim.speakerId } : null;
			return { claim, speakerId: claim.speakerId, key: claim.key, resolution: matched };
		}
		return { claim, speakerId, key, resolution: resolution ?? null };
	}

	/**
	 * The stored (or planned) claim a record is: by external id; else (no id, or one not
	 * known) by quote and speaker, preferring the one in its first source; else by a text the
	 * claim had before the desk corrected it, by the same rules (a claim with the record's
	 * words now comes first). Without a `resolved` speaker, by quote only when one claim fits.
	 */
	#stored(p: PreparedRecord, key: string, resolved: boolean, onPage?: ClaimState): ClaimState | undefined {
		const { record } = p;
		const byId = record.externalId ? this.#byExternal.get(record.externalId) : undefined;
		if (byId) return byId;
		// One of its review page's claims in other words (`#reviewPage`).
		if (onPage) return onPage;
		// An id not seen before may still be a claim recorded otherwise (by the desk, through
		// another feed, or under the page's id before the page had a second review): the same
		// quote and speaker, as for a record without an id.
		return (
			this.#byQuote(p, key, resolved, this.#byKey, this.#byFingerprint) ??
			this.#byQuote(p, key, resolved, this.#byEarlierKey, this.#byEarlierFingerprint)
		);
	}

	/** The claim of the record's quote (`byFingerprint`) and speaker (`byKey`), as `#stored` says. */
	#byQuote(
		p: PreparedRecord,
		key: string,
		resolved: boolean,
		byKey: ReadonlyMap<string, ClaimState[]>,
		byFingerprint: ReadonlyMap<string, ClaimState[]>,
	): ClaimState | undefined {
		const { record } = p;
		const firstUrl = p.sources[0]?.url;
		const firstId = firstUrl ? this.#knownSourceId(firstUrl) : undefined;
		const inFirst = (c: ClaimState) => firstId !== undefined && c.sourceIds.has(firstId);
		const pick = (list: ClaimState[]) => list.find(inFirst) ?? list[0];
		const sameKey = resolved ? pick(byKey.get(key) ?? []) : undefined;
		if (sameKey) return sameKey;
		// The same quote under a name that could mean the stored claim's speaker is that claim.
		const candidates = (byFingerprint.get(p.fingerprint) ?? []).filter((c) =>
			this.#namesSpeakerOf(c, record),
		);
		if (resolved) return pick(candidates);
		// Namesakes: one of them by its place, never a guess between two.
		if (candidates.length === 1) return candidates[0];
		const placed = candidates.filter(inFirst);
		return placed.length === 1 ? placed[0] : undefined;
	}

	/** A new claim with its appearances and, if the record has one, its published verdict. */
	#create(
		p: PreparedRecord,
		i: number,
		match: Match,
		snapshot: VerdictSnapshot | null,
		onPage: readonly ClaimState[],
	): void {
		const { record } = p;
		const { speakerId } = match;
		const id = newId();
		const verdict = snapshot
			? this.#verdictRow(id, snapshot, publishedTimestamp(record.verdict?.publishedAt, this.now), null)
			: null;
		this.#claimRows.push({
			id,
			text: record.claim.text,
			language: record.claim.language,
			speakerId,
			claimedAt: record.claim.claimedAt ?? null,
			context: record.claim.context ?? null,
			status: snapshot?.rating ?? "unverified",
			reviewedAt: verdict?.publishedAt ?? null,
			fingerprint: p.fingerprint,
			externalId: record.externalId ?? null,
			createdBy: this.actor.userId,
			searchTerms: termsFor(
				{ text: record.claim.text, context: record.claim.context ?? null, language: record.claim.language },
				snapshot,
			),
		});
		// New by quote and speaker too: a claim written meanwhile with them fails the batch.
		this.#keyGuards.push({ fingerprint: p.fingerprint, speakerId });
		p.sources.forEach((source, j) => {
			this.#appearanceRows.push({
				id: newId(),
				claimId: id,
				sourceId: this.#sourceId(source),
				isFirst: j === 0,
				createdBy: this.actor.userId,
			});
			this.#newUrls.add(source.url);
		});
		if (verdict) this.#newClaimsWithVerdict.push(id);
		const stored: StoredVerdict | null =
			verdict && snapshot ? { ...snapshot, id: verdict.id, state: "published", imported: true } : null;
		this.#index({
			id,
			isNew: true,
			seq: Number.MAX_SAFE_INTEGER,
			externalId: record.externalId ?? null,
			fingerprint: p.fingerprint,
			speakerId,
			key: match.key,
			text: record.claim.text,
			claimedAt: record.claim.claimedAt ?? null,
			context: record.claim.context ?? null,
			language: record.claim.language,
			sourceIds: new Set(p.sources.map((s) => this.#sourceId(s))),
			removedUrls: new Set(),
			earlierTexts: [],
			earlierFingerprints: new Set(),
			importedSpeaker: record.speaker ? foldName(record.speaker.name) : null,
			hasFirst: p.sources.length > 0,
			current: stored,
			importedReviews: new Map(stored ? [[reviewKey(stored), stored]] : []),
			reviewed: stored !== null,
			...(snapshot ? { verdictOf: { index: i, snapshot } } : {}),
		});
		this.#audit("import-create", "claim", id, { record });
		if (verdict) this.#audit("publish", "verdict", verdict.id, { rating: verdict.rating, imported: true });
		const warnings = [...p.warnings];
		// Its review page's claims it is not to the matcher: the desk may know better (`#reviewPage`).
		if (onPage.length > 0 && snapshot)
			warnings.push(
				`its review (${snapshot.url}) has other claims imported under other ids of its page: ${onPage.map((c) => `${c.id} (${quoted(c.text)})`).join(", ")}. If this record is one of them in other words, merge the two on the desk`,
			);
		// A new claim changes the lists, its speaker's page and (with a verdict) the feed.
		this.changedClaims.push(id);
		this.createdClaims.push(id);
		this.outcomes.push({ status: "created", claimId: id, ...(warnings.length ? { warnings } : {}) });
	}

	/**
	 * A record restating a known claim in other words: its sources become appearances of that
	 * claim, quoting the record's words, each audited as the desk's are (the desk's activity
	 * lists them); its speaker is the claim's, and its verdict is not imported.
	 */
	#link(p: PreparedRecord, claim: ClaimState): void {
		const warnings = [...p.warnings, ...(p.record.verdict ? [LINKED_VERDICT_WARNING] : [])];
		let added = false;
		for (const source of p.sources) {
			const sourceId = this.#sourceId(source);
			if (claim.sourceIds.has(sourceId)) continue;
			if (claim.removedUrls.has(source.url)) {
				warnings.push(removedByDesk(source.url));
				continue;
			}
			claim.sourceIds.add(sourceId);
			const row = {
				id: newId(),
				claimId: claim.id,
				sourceId,
				quote: p.record.claim.text,
				isFirst: !claim.hasFirst,
				createdBy: this.actor.userId,
			};
			this.#appearanceRows.push(row);
			this.#newUrls.add(source.url);
			if (!claim.isNew && !claim.hasFirst) this.#firstAppeared.add(claim.id);
			claim.hasFirst = true;
			this.#audit("add-appearance", "claim", claim.id, { ...row, imported: true });
			if (!claim.isNew) this.#appeared.add(claim.id);
			added = true;
		}
		if (added && !this.changedClaims.includes(claim.id)) this.changedClaims.push(claim.id);
		this.outcomes.push({
			status: "linked",
			claimId: claim.id,
			...(added ? { changes: ["appearance"] } : {}),
			...(warnings.length > 0 ? { warnings } : {}),
		});
	}

	/** A known claim: new appearances, a verdict that changed since the last import; the rest stays. */
	#update(p: PreparedRecord, claim: ClaimState, snapshot: VerdictSnapshot | null, changes: string[]): void {
		const { record } = p;
		const warnings = [...p.warnings];
		const byId = record.externalId !== undefined && claim.externalId === record.externalId;
		// Found by an earlier text (the desk corrected it): the record's words are not the claim's.
		const byEarlierText = !byId && p.fingerprint !== claim.fingerprint;
		// The claim's words are ours (the desk's, or the first record's): the publisher's
		// rewording, a text the desk corrected since, is named beside them, not written over them.
		if ((byId || byEarlierText) && record.claim.text !== claim.text)
			warnings.push(
				`the publisher's wording of the claim (${quoted(record.claim.text)}) differs from ours (${quoted(claim.text)}), which is kept as it is`,
			);
		const differs: string[] = [];
		if (byId && record.claim.claimedAt !== undefined && record.claim.claimedAt !== claim.claimedAt)
			differs.push("claimedAt");
		if (byId && record.claim.context !== undefined && record.claim.context !== claim.context)
			differs.push("context");
		if (differs.length > 0)
			warnings.push(`claim ${differs.join(", ")} differ from the stored claim, which is kept as it is`);
		for (const source of p.sources) {
			const sourceId = this.#sourceId(source);
			if (claim.sourceIds.has(sourceId)) continue;
			if (claim.removedUrls.has(source.url)) {
				warnings.push(removedByDesk(source.url));
				continue;
			}
			claim.sourceIds.add(sourceId);
			this.#appearanceRows.push({
				id: newId(),
				claimId: claim.id,
				sourceId,
				isFirst: !claim.hasFirst,
				createdBy: this.actor.userId,
			});
			this.#newUrls.add(source.url);
			if (!claim.isNew && !claim.hasFirst) this.#firstAppeared.add(claim.id);
			claim.hasFirst = true;
			if (!claim.isNew) this.#appeared.add(claim.id);
			if (!changes.includes("appearance")) changes.push("appearance");
		}
		// Compared with what the last import of the record's own review wrote: a verdict the
		// desk published or retracted since is the desk's decision and stays until the source
		// itself changes; another publisher's review imported since (their feed) is theirs,
		// which a run of this one's feed does not publish over again (docs/decisions.md).
		const own = snapshot ? claim.importedReviews.get(reviewKey(snapshot)) : undefined;
		// A claim whose own verdict the desk retracted, with no import behind it: the
		// retraction is the desk's decision, which no import undoes unasked.
		const retractedByDesk = claim.reviewed && !claim.current && claim.importedReviews.size === 0;
		// Another publisher's rating is not a correction of ours: over our own verdict in
		// force, it was superseded, credited to them and our ClaimReview gone.
		const theirsOverOurs =
			snapshot !== null &&
			claim.current !== null &&
			!isExternalReview(claim.current.url, this.ownSites) &&
			isExternalReview(snapshot.url, this.ownSites);
		if (snapshot && retractedByDesk) {
			warnings.push(
				"the desk retracted this claim's verdict: the imported verdict is not published (publish one from the desk to restore it)",
			);
		} else if (snapshot && theirsOverOurs) {
			warnings.push(
				"this claim has our own published verdict: another publisher's review is not published over it (its sources were added)",
			);
		} else if (snapshot && !(own && sameVerdict(own, snapshot))) {
			this.#publish(record, claim, snapshot);
			changes.push("verdict");
		} else if (own && claim.current && claim.current.id !== own.id) {
			warnings.push(notInForce(claim.current));
		}
		if (changes.includes("appearance") && !this.changedClaims.includes(claim.id))
			this.changedClaims.push(claim.id);
		if (changes.length > 0) this.#audit("import-update", "claim", claim.id, { changes, record });
		this.outcomes.push({
			status: changes.length > 0 ? "updated" : "unchanged",
			claimId: claim.id,
			...(changes.length > 0 ? { changes } : {}),
			...(warnings.length > 0 ? { warnings } : {}),
		});
	}

	/** Publishes the record's verdict on a known claim: its first, or a correction superseding the published one. */
	#publish(record: ImportRecord, claim: ClaimState, snapshot: VerdictSnapshot): void {
		const { db, now } = this;
		const supersedes = claim.current;
		// A claim's first verdict carries the publisher's date; a correction, or a verdict
		// after a retraction, is published now (dated back, it would rank below the
		// retraction in the feed, the history and Google's reviewDate).
		const publishedAt =
			supersedes || claim.reviewed ? now : publishedTimestamp(record.verdict?.publishedAt, now);
		const verdict = this.#verdictRow(claim.id, snapshot, publishedAt, supersedes);
		const verdictId = verdict.id;
		const plannedRow = claim.isNew ? this.#claimRows.find((row) => row.id === claim.id) : undefined;
		// Written at the instant the claim's updated_at is (below): a later public change of the
		// claim is one after it (domain/public-change), not D1's clock running past the Worker's.
		// A new claim's row and its verdict's both take D1's time, the claim's first.
		if (!plannedRow) verdict.updatedAt = now;
		if (supersedes) {
			this.#supersedeStatements.push(
				db
					.update(verdicts)
					.set({ state: "superseded", updatedAt: now, version: sql`${verdicts.version} + 1` })
					.where(and(eq(verdicts.id, supersedes.id), eq(verdicts.state, "published"))),
				guardOneRow(db),
			);
			this.#audit("supersede", "verdict", supersedes.id, { supersededBy: verdictId });
		} else if (!plannedRow) {
			// After a retraction: its entry keeps its time (store/verdicts). Before the claim's update.
			this.#supersedeStatements.push(keepWithdrawnEntryTime(db, claim.id));
		}
		// The new verdict's headline and summary replace the old one's in the claim's search terms.
		const searchTerms = termsFor(claim, snapshot);
		if (plannedRow) {
			plannedRow.status = snapshot.rating;
			plannedRow.reviewedAt = publishedAt;
			plannedRow.searchTerms = searchTerms;
			this.#newClaimsWithVerdict.push(claim.id);
		} else {
			this.#claimUpdates.push(
				db
					.update(claims)
					.set({
						status: snapshot.rating,
						currentVerdictId: verdictId,
						reviewedAt: publishedAt,
						searchTerms,
						updatedAt: now,
						version: sql`${claims.version} + 1`,
					})
					.where(
						and(
							eq(claims.id, claim.id),
							supersedes ? eq(claims.currentVerdictId, supersedes.id) : isNull(claims.currentVerdictId),
							// Terms made from the text read: an edit since fails the batch, which is planned anew.
							sameSearchInputs(claim),
						),
					),
				guardOneRow(db),
			);
			this.changedClaims.push(claim.id);
			// A second record of the claim in this batch publishes over the first: partners
			// hear of the last, a correction if the claim had a published verdict before.
			const earlier = this.#publishedVerdicts.get(claim.id);
			this.#publishedVerdicts.set(claim.id, {
				claimId: claim.id,
				verdictId,
				correction: earlier ? earlier.correction : Boolean(supersedes),
			});
		}
		this.#audit(supersedes ? "publish-correction" : "publish", "verdict", verdictId, {
			rating: snapshot.rating,
			supersedes: supersedes?.id ?? null,
			correctionNote: verdict.correctionNote,
			imported: true,
		});
		const stored: StoredVerdict = { ...snapshot, id: verdictId, state: "published", imported: true };
		claim.current = stored;
		claim.importedReviews.set(reviewKey(stored), stored);
		claim.reviewed = true;
	}

	#index(claim: ClaimState): void {
		this.#byId.set(claim.id, claim);
		if (claim.externalId) this.#byExternal.set(claim.externalId, claim);
		this.#byKey.set(claim.key, [...(this.#byKey.get(claim.key) ?? []), claim]);
		this.#byFingerprint.set(claim.fingerprint, [
			...(this.#byFingerprint.get(claim.fingerprint) ?? []),
			claim,
		]);
		for (const fingerprint of claim.earlierFingerprints) {
			const key = claimKey(fingerprint, claim.speakerId);
			this.#byEarlierKey.set(key, [...(this.#byEarlierKey.get(key) ?? []), claim]);
			this.#byEarlierFingerprint.set(fingerprint, [
				...(this.#byEarlierFingerprint.get(fingerprint) ?? []),
				claim,
			]);
		}
	}

	#audit(action: string, entity: string, entityId: string, changes: unknown): void {
		this.#auditRows.push({
			actorId: this.actor.userId,
			actorLabel: this.actor.label,
			action,
			entity,
			entityId,
			changes: JSON.stringify(changes),
			requestId: this.actor.requestId ?? null,
			// Only when there is one: a column no row sets binds no parameter (chunkForInsert).
			...(this.actor.tokenMintedBy ? { tokenMintedBy: this.actor.tokenMintedBy } : {}),
		});
	}

	#knownSourceId(url: string): string | undefined {
		return this.state.sourceIds.get(url) ?? this.#newSources.get(url)?.id;
	}

	/** The source's id: known, or of a new row planned now. */
	#sourceId(source: PreparedRecord["sources"][number]): string {
		const known = this.#knownSourceId(source.url);
		if (known) return known;
		const id = newId();
		this.#newSources.set(source.url, {
			id,
			url: source.url,
			domain: source.domain,
			title: source.input.title ?? null,
			publisher: source.input.publisher ?? null,
			author: source.input.author ?? null,
			language: source.input.language ?? null,
			publishedAt: source.input.publishedAt ?? null,
			createdBy: this.actor.userId,
		});
		return id;
	}

	#verdictRow(
		claimId: string,
		snapshot: VerdictSnapshot,
		publishedAt: string,
		supersedes: StoredVerdict | null,
	): Row<typeof verdicts> {
		const row: Row<typeof verdicts> = {
			id: newId(),
			claimId,
			rating: snapshot.rating,
			headline: snapshot.headline,
			summary: snapshot.summary,
			// The fact-check article itself is the evidence an imported verdict rests on.
			evidence: JSON.stringify(snapshot.url ? [{ url: snapshot.url, title: snapshot.headline }] : []),
			language: snapshot.language,
			reviewerId: null,
			editorId: this.actor.userId,
			state: "published",
			originalRating: snapshot.originalRating,
			// Whose check it is: the review's own address and publisher (domain/review-attribution).
			...(importedReview(snapshot.url, snapshot.reviewer) ?? { reviewUrl: null, reviewPublisher: null }),
			publishedAt,
			supersedesId: supersedes?.id ?? null,
			correctionNote: supersedes ? describeChange(supersedes, snapshot) : null,
		};
		this.#verdictRows.push(row);
		if (snapshot.url) this.#newUrls.add(snapshot.url);
		return row;
	}

	/** New speakers (with every spelling as an alias) and new aliases, only those an accepted record refers to. */
	#speakerRows() {
		const speakerRows: Row<typeof speakers>[] = [];
		const aliasRows: PlannedAlias[] = [];
		const written: Plan["written"]["speakers"] = [];
		for (const planned of this.resolver.newSpeakers.values()) {
			if (!this.#usedSpeakers.has(planned.id)) continue;
			const slug = uniqueSlug(speakerSlug(planned.input.name), (s) => this.state.takenSlugs.has(s));
			this.state.takenSlugs.add(slug);
			const row = {
				id: planned.id,
				name: planned.input.name.trim(),
				slug,
				kind: planned.input.kind,
				description: planned.input.description ?? null,
				createdBy: this.actor.userId,
			};
			speakerRows.push(row);
			const spellings = this.resolver.spellingsOf(planned.id);
			for (const spelling of spellings)
				aliasRows.push({
					id: newId(),
					speakerId: planned.id,
					alias: spelling,
					normalized: foldName(spelling),
				});
			written.push({ id: planned.id, name: row.name, kind: row.kind, spellings });
			this.#audit("create", "speaker", planned.id, { ...row, aliases: spellings });
		}
		const newAliases = [...this.resolver.newAliases.values()].filter((a) => this.#usedAliases.has(a.id));
		for (const alias of newAliases)
			this.#audit("add-alias", "speaker", alias.speakerId, { alias: alias.alias });
		return { speakerRows, aliasRows, written, newAliases };
	}

	/** The batch's statements in the order the rows depend on each other, and what it writes to the directory. */
	finish(startKey: DirectoryKey): Plan {
		const { db } = this;
		const { speakerRows, aliasRows, written, newAliases } = this.#speakerRows();
		for (const row of this.#newSources.values()) this.#audit("create", "source", row.id, row);
		const statements: Statement[] = [
			...chunkForInsert(speakers, speakerRows).map((rows) => db.insert(speakers).values(rows)),
			...chunkForInsert(speakerAliases, aliasRows).map((rows) => db.insert(speakerAliases).values(rows)),
			// Someone may have added the same spelling meanwhile; either way it is there.
			...chunkForInsert(speakerAliases, newAliases).map((rows) =>
				db.insert(speakerAliases).values(rows).onConflictDoNothing(),
			),
			// A new spelling changes the speaker: an edit from a form read before it is a 409,
			// not a save that drops the spelling again.
			...idChunks([...new Set(newAliases.map((alias) => alias.speakerId))]).map((ids) =>
				db
					.update(speakers)
					.set({ version: sql`${speakers.version} + 1`, updatedAt: nowIso() })
					.where(inArray(speakers.id, ids)),
			),
			...chunkForInsert(sources, [...this.#newSources.values()]).map((rows) =>
				db.insert(sources).values(rows),
			),
			...(this.#keyGuards.length > 0 ? [keyGuard(db, this.#keyGuards)] : []),
			...chunkForInsert(claims, this.#claimRows).map((rows) => db.insert(claims).values(rows)),
			// The old verdict stops being published before the new one is (one published per claim).
			...this.#supersedeStatements,
			...chunkForInsert(verdicts, this.#verdictRows).map((rows) => db.insert(verdicts).values(rows)),
			// claims ↔ verdicts reference each other: a new claim learns its verdict's id once that row exists.
			...chunks(this.#newClaimsWithVerdict, MAX_PARAMS).map((ids) =>
				db
					.update(claims)
					.set({
						currentVerdictId: sql.raw(
							"(SELECT v.id FROM verdicts v WHERE v.claim_id = claims.id AND v.state = 'published')",
						),
					})
					.where(inArray(claims.id, ids)),
			),
			...this.#claimUpdates,
			// An appearance is a public change of its claim, as one added from the desk is.
			...idChunks([...this.#appeared]).map((ids) =>
				db.update(claims).set(publicChange(this.now)).where(inArray(claims.id, ids)),
			),
			// A claim without a speaker is credited to its first appearance's publisher, in its
			// feed entries' titles too (store/public-changes `claimantChange`, as a desk edit is).
			...idChunks([...this.#firstAppeared]).map((ids) =>
				db
					.update(claims)
					.set(quoteChange(this.now))
					.where(and(inArray(claims.id, ids), isNull(claims.speakerId))),
			),
			...chunkForInsert(appearances, this.#appearanceRows).map((rows) => db.insert(appearances).values(rows)),
			// Credited to someone for the first time: a draft rating such a claim is marked as one
			// whose speaker changed, as after a merge or a removal (s35 r361).
			...firstCreditRows(db, [...this.#firstAppeared], this.now, this.actor.userId),
			...chunkForInsert(auditLog, this.#auditRows).map((rows) => db.insert(auditLog).values(rows)),
			// Known speakers given a spelling: their claims' search entries, once each.
			...reindexSpeakers(db, [...new Set(newAliases.map((alias) => alias.speakerId))]),
		];
		return {
			outcomes: this.outcomes,
			statements,
			conflicts: this.conflicts,
			changedClaims: this.changedClaims,
			createdClaims: this.createdClaims,
			newUrls: [...this.#newUrls],
			aliasedSpeakers: [...new Set(newAliases.map((alias) => alias.speakerId))],
			publishedVerdicts: [...this.#publishedVerdicts.values()],
			startKey,
			written: { speakers: written, aliases: newAliases },
			expectedKey: {
				aliases: startKey.aliases + aliasRows.length + newAliases.length,
				lastAlias: newAliases.at(-1)?.id ?? aliasRows.at(-1)?.id ?? startKey.lastAlias,
				speakers: startKey.speakers + speakerRows.length,
				lastSpeaker: speakerRows.at(-1)?.id ?? startKey.lastSpeaker,
			},
		};
	}
}

/**
 * Aborts the batch if a claim with one of these quotes and speakers appeared since the
 * reads. The keys go in as one JSON parameter, joined to `claims_fingerprint_idx`: an OR of
 * 50 `(fingerprint = ? AND speaker_id IS ?)` pairs passes D1's expression depth of 100.
 */
export function keyGuard(db: Db, keys: readonly { fingerprint: string; speakerId: string | null }[]) {
	const list = JSON.stringify(keys.map((key) => [key.fingerprint, key.speakerId]));
	return db.insert(batchGuards).values({
		ok: sql`NOT EXISTS (SELECT 1 FROM json_each(${list}) AS g JOIN ${claims} ON ${claims.fingerprint} = g.value ->> 0 AND ${claims.speakerId} IS g.value ->> 1)`,
	});
}

/**
 * Plans a batch: records the desk would refuse are rejected first (schemas/import-record:
 * no date in the future, no verdict without evidence), so they neither write nor shape how
 * the others match; then speakers are resolved, the state read, and each record planned.
 */
async function plan(db: Db, actor: Actor, batch: RecordBatch, ownSites: readonly string[]): Promise<Plan> {
	const { records, links, refused } = batch;
	const checked = records.map(validateImportRecord);
	// A record of a claim since merged is linked to the claim kept (its sources become that
	// claim's appearances); one of a claim since removed is refused: never recorded anew.
	const fates = await retiredFates(db, records);
	const prepared = await Promise.all(
		records.map((record, i) => {
			const fate = fates[i];
			if (!checked[i]?.ok || refused.has(i) || (fate && "removedAt" in fate)) return null;
			return prepare(
				record,
				links[i] ?? (fate && "mergedInto" in fate ? fate.mergedInto : null),
				Boolean(fate),
			);
		}),
	);
	const accepted = prepared.filter((p): p is PreparedRecord => p !== null);
	const { key: startKey, directory } = await loadDirectory(db);
	const resolver = new SpeakerResolver(directory);
	// A linked record's speaker is its claim's: its name must not shape new speakers.
	const resolutions = prepared.map((p) => (p && !p.linkTo ? resolver.resolve(p.record.speaker) : null));
	const slugBases = [...new Set([...resolver.newSpeakers.values()].map((s) => speakerSlug(s.input.name)))];
	const planned = new BatchPlan(
		db,
		actor,
		await readState(db, accepted, slugBases),
		resolver,
		ownSites,
		batch.positions,
		new Set(records.flatMap((record) => (record.externalId ? [record.externalId] : []))),
	);
	prepared.forEach((p, i) => {
		const check = checked[i];
		const fate = fates[i];
		const refusal = refused.get(i);
		if (p) planned.add(p, i, resolutions[i] ?? null);
		else
			planned.outcomes.push({
				status: "rejected",
				reason:
					check && !check.ok
						? check.reason
						: refusal !== undefined
							? refusal
							: fate && "removedAt" in fate
								? `its externalId is that of a claim removed from the tracker on ${newsroomDay(fate.removedAt)}: it is not recorded again (give it a new id if it should be)`
								: "invalid record",
			});
		if (refusal !== undefined) planned.conflicts.set(i, refusal);
	});
	return planned.finish(startKey);
}

/** Each record's claim fate by its import id, when that id names a claim merged or removed. */
async function retiredFates(db: Db, records: readonly ImportRecord[]): Promise<(ClaimFate | undefined)[]> {
	const ids = [...new Set(records.flatMap((record) => (record.externalId ? [record.externalId] : [])))];
	const fates = new Map<string, ClaimFate>();
	for (const list of chunks(ids, MAX_PARAMS))
		for (const [id, fate] of await retiredImportIds(db, list)) fates.set(id, fate);
	return records.map((record) => (record.externalId ? fates.get(record.externalId) : undefined));
}

/** Adds what a committed batch wrote to the isolate's directory, if no one else changed the tables meanwhile. */
function remember(result: Plan): void {
	const cached = cachedDirectory;
	if (!cached || !sameKey(cached.key, result.startKey)) return;
	const { directory } = cached;
	for (const speaker of result.written.speakers) {
		const entry = directory.entry(speaker.id, speaker.name, speaker.kind);
		for (const spelling of speaker.spellings) directory.addSpelling(entry, spelling);
	}
	for (const alias of result.written.aliases) {
		const entry = directory.entries.get(alias.speakerId);
		if (entry) directory.addSpelling(entry, alias.alias);
	}
	cached.key = result.expectedKey;
}

const MAX_ATTEMPTS = 3;

/** One call's records and what goes with each, by index: a half of a batch carries its slice of each. */
interface RecordBatch {
	records: readonly ImportRecord[];
	/** The recorded claim record i restates in other words, whose appearances its sources become. */
	links: readonly (string | null)[];
	/** Record i's position in the client's batch (the route leaves invalid records out): reasons name those. */
	positions: readonly number[];
	/**
	 * Records refused before planning: another verdict of a claim an earlier record of the
	 * whole batch gave one, found when the whole batch was planned. Halves are planned apart,
	 * each without the other's records: without this, the two records of a claim in different
	 * halves published a correction over each other, on every run of the same file.
	 */
	refused: ReadonlyMap<number, string>;
	/**
	 * Whether a part of the client's batch was stored already (the batch split by a record the
	 * database refused): a later part that keeps losing races is then its records' refusal, not a
	 * 503 saying nothing was stored, so the answer and the stored part's effects tell the truth.
	 */
	progress: { stored: boolean };
}

/**
 * Imports records in one atomic batch and says per record what happened. A batch that
 * lost a race (a unique index or guard tripped because someone wrote the same rows
 * meanwhile) is planned again from fresh reads. A record the database refuses for
 * another reason is found by storing the batch in halves, and halves of those, until it
 * is alone: only it is rejected, in about 2 × log2(n) batches (one by one, a batch of 500
 * took 2,000–4,000 D1 queries, past the 1,000 of one request). `links[i]`: the recorded
 * claim record i restates in other words, whose appearances its sources become, in the
 * same batch (one at a time, each linked record took about ten queries). `positions[i]`:
 * record i's position in the client's batch, when the caller left records out.
 */
export async function importRecords(
	db: Db,
	actor: Actor,
	records: readonly ImportRecord[],
	links: readonly (string | null)[] = [],
	ownSites: readonly string[] = [],
	positions: readonly number[] = [],
): Promise<ImportReport> {
	const batch: RecordBatch = {
		// A record's timestamp (`npm run import` sends one written in UTC as it is: the CLI
		// knows no zone) is a day from here on, the newsroom's, as the pages read days.
		records: records.map((record) => onNewsroomDays(record, shownTimeZone())),
		links: records.map((_, i) => links[i] ?? null),
		positions: records.map((_, i) => positions[i] ?? i),
		refused: new Map(),
		progress: { stored: false },
	};
	return importBatchOnce(db, actor, batch, ownSites);
}

async function importBatchOnce(
	db: Db,
	actor: Actor,
	batch: RecordBatch,
	ownSites: readonly string[],
): Promise<ImportReport> {
	try {
		return await importPart(db, actor, batch, ownSites);
	} catch (error) {
		// Once a part is stored, the request answers 200 with what was: a 503 would say nothing
		// was, and lose the stored part's purges, copies and webhooks (claims.imported).
		if (!batch.progress.stored || !isD1Unavailable(error)) throw error;
		return {
			...emptyReport(),
			outcomes: batch.records.map(() => ({ status: "rejected" as const, reason: UNAVAILABLE })),
		};
	}
}

const UNAVAILABLE = "The database was unavailable: not stored; send it again.";

async function importPart(
	db: Db,
	actor: Actor,
	batch: RecordBatch,
	ownSites: readonly string[],
): Promise<ImportReport> {
	if (batch.records.length === 0) return emptyReport();
	for (let attempt = 1; ; attempt++) {
		const result = await plan(db, actor, batch, ownSites);
		try {
			await runBatch(db, result.statements);
		} catch (error) {
			const failure = constraintFailure(error);
			if (failure?.kind === "unique" || failure?.kind === "guard") {
				forgetSpeakerDirectory();
				if (attempt < MAX_ATTEMPTS) continue;
				if (batch.progress.stored) return contended(result.outcomes);
				throw new AppError(503, "Other writes changed the same claims meanwhile; send the batch again.", {
					code: "import-contention",
					headers: { "Retry-After": "1" },
				});
			}
			// The conflicts within the whole batch go down to its halves.
			if (failure && batch.records.length > 1)
				return importInHalves(db, actor, { ...batch, refused: result.conflicts }, ownSites);
			if (failure) {
				return {
					...emptyReport(),
					outcomes: [{ status: "rejected", reason: `refused by the database: ${failure.detail}` }],
				};
			}
			throw error;
		}
		remember(result);
		const { outcomes, changedClaims, createdClaims, newUrls, aliasedSpeakers, publishedVerdicts } = result;
		if (changedClaims.length > 0 || aliasedSpeakers.length > 0) batch.progress.stored = true;
		return { outcomes, changedClaims, createdClaims, newUrls, aliasedSpeakers, publishedVerdicts };
	}
}

const CONTENDED = "Other writes changed the same claims meanwhile: not stored; send it again.";

/** A part that kept losing races after another part was stored: its records, refused (a rejection stays as it was). */
function contended(outcomes: readonly ImportOutcome[]): ImportReport {
	return {
		...emptyReport(),
		outcomes: outcomes.map((o) => (o.status === "rejected" ? o : { status: "rejected", reason: CONTENDED })),
	};
}

/** Record `start` to `end` of a batch, each with its link, position and refusal. */
function sliceBatch(batch: RecordBatch, start: number, end: number): RecordBatch {
	const refused = new Map<number, string>();
	for (const [i, reason] of batch.refused) if (i >= start && i < end) refused.set(i - start, reason);
	return {
		records: batch.records.slice(start, end),
		links: batch.links.slice(start, end),
		positions: batch.positions.slice(start, end),
		refused,
		progress: batch.progress,
	};
}

async function importInHalves(
	db: Db,
	actor: Actor,
	batch: RecordBatch,
	ownSites: readonly string[],
): Promise<ImportReport> {
	const report = emptyReport();
	const middle = Math.ceil(batch.records.length / 2);
	for (const [start, end] of [
		[0, middle],
		[middle, batch.records.length],
	] as const) {
		const part = await importBatchOnce(db, actor, sliceBatch(batch, start, end), ownSites);
		report.outcomes.push(...part.outcomes);
		report.changedClaims.push(...part.changedClaims);
		report.createdClaims.push(...part.createdClaims);
		report.newUrls.push(...part.newUrls.filter((url) => !report.newUrls.includes(url)));
		report.aliasedSpeakers.push(...part.aliasedSpeakers.filter((id) => !report.aliasedSpeakers.includes(id)));
		// Halves are written one after the other: the second's verdict of a claim is the last.
		for (const verdict of part.publishedVerdicts) {
			const index = report.publishedVerdicts.findIndex((v) => v.claimId === verdict.claimId);
			if (index < 0) report.publishedVerdicts.push(verdict);
			else
				report.publishedVerdicts[index] = {
					...verdict,
					correction: report.publishedVerdicts[index]?.correction ?? verdict.correction,
				};
		}
	}
	return report;
}
