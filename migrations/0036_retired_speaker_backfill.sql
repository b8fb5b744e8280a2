-- Hand-written (docs/decisions.md, "A merged duplicate's words find the claim kept"): an
-- import of a merged claim's words is linked to the claim kept when its speaker is the
-- merged claim's, by a spelling. The merge took that speaker off the pages when no other
-- claim named them, and a speaker merge deleted it without pointing the row on: then no
-- spelling was left to compare with, and the import was a new claim again.
-- Claims merged before 0035 kept their speaker's spelling: the name their merge's audit row
-- holds (the duplicate's `merged-into` row names the claim it went into, whose `merge` row
-- holds what the duplicate was, as 0034 read it). The app writes name and aliases since.
UPDATE retired_claims SET speaker_names = json_array(m.merged ->> '$.speaker.name')
FROM (
	SELECT r.id AS id, a.changes -> '$.merged' AS merged
	FROM retired_claims r
	JOIN audit_log d ON d.entity = 'claim' AND d.entity_id = r.id AND d.action = 'merged-into'
	JOIN audit_log a ON a.entity = 'claim' AND a.entity_id = d.changes ->> '$.into' AND a.action = 'merge'
		AND a.changes ->> '$.mergedFrom' = r.id
	WHERE r.merged_into IS NOT NULL AND r.text IS NOT NULL AND r.speaker_id IS NOT NULL AND r.speaker_names IS NULL
) AS m
WHERE retired_claims.id = m.id AND m.merged ->> '$.speaker.name' IS NOT NULL;
--> statement-breakpoint
-- A speaker merged into another since: the row names the survivor (following each speaker
-- merge's audit row, `merged.id` into its entity, to a speaker that is still there), as a
-- speaker merge now does in its batch (store/speaker-edits).
WITH RECURSIVE moved(old, new) AS (
	SELECT changes ->> '$.merged.id', entity_id FROM audit_log WHERE entity = 'speaker' AND action = 'merge'
), chain(origin, id) AS (
	SELECT speaker_id, speaker_id FROM retired_claims
	WHERE speaker_id IS NOT NULL AND speaker_id NOT IN (SELECT id FROM speakers)
	UNION
	SELECT chain.origin, moved.new FROM chain JOIN moved ON moved.old = chain.id
)
UPDATE retired_claims SET speaker_id = (
	SELECT chain.id FROM chain JOIN speakers ON speakers.id = chain.id WHERE chain.origin = retired_claims.speaker_id LIMIT 1
)
WHERE speaker_id IN (SELECT chain.origin FROM chain JOIN speakers ON speakers.id = chain.id);
