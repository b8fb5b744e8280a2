import type { Verdict } from "../db/schema";
import type { Db } from "../factory";
import { AppError, notFound } from "../lib/errors";
import type { Actor } from "./batch";
import { getVerdict, publishVerdict, retractVerdict } from "./verdicts";

/**
 * The editorial rules the desk and the API share on top of the verdict store:
 * a verdict is published only with evidence, and a retraction needs a note.
 */

export function evidenceCount(verdict: Pick<Verdict, "evidence">): number {
	try {
		const value: unknown = JSON.parse(verdict.evidence);
		return Array.isArray(value) ? value.length : 0;
	} catch {
		return 0;
	}
}

export async function publishChecked(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	correctionNote: string | null,
): Promise<Verdict> {
	const verdict = await getVerdict(db, id);
	if (!verdict) throw notFound("verdict");
	if (verdict.state === "draft" && evidenceCount(verdict) === 0) {
		throw new AppError(422, "evidence: add at least one evidence link before publishing.", {
			code: "evidence-required",
			errors: [{ path: "evidence", message: "Add at least one evidence link before publishing." }],
		});
	}
	return publishVerdict(
		db,
		actor,
		id,
		expectedVersion,
		correctionNote?.trim() ? correctionNote.trim() : null,
	);
}

export async function retractChecked(
	db: Db,
	actor: Actor,
	id: string,
	expectedVersion: number,
	note: string,
): Promise<Verdict> {
	if (!note.trim()) {
		throw new AppError(422, "note: say why the verdict is retracted.", {
			errors: [{ path: "note", message: "Say why the verdict is retracted." }],
		});
	}
	return retractVerdict(db, actor, id, expectedVersion, note);
}
