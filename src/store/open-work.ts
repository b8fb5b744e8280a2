import { sql } from "drizzle-orm";
import { claims, verdicts } from "../db/schema";

/**
 * A claim that is desk work still to do: never reviewed (unverified, in review), or retracted
 * with a new draft being written. Its public status stays "retracted" until that draft is
 * published (domain/claim-status: a withdrawn rating must not label it, nor must "unverified"),
 * but for the desk it is open work like any other: in "My queue", "Unassigned" and "Open", in
 * the counts of open claims, and released when its assignee's account is disabled. Every one
 * of those reads this condition, so they cannot disagree (the re-check was in the review
 * queue and in no list). The IN keeps `claims_status_idx` usable; a retracted claim's draft is
 * probed by `verdicts_claim_idx`.
 */
export const openWorkSql = sql`(${claims.status} IN ('unverified', 'in-review', 'retracted') AND (${claims.status} <> 'retracted' OR EXISTS (SELECT 1 FROM ${verdicts} WHERE ${verdicts.claimId} = ${claims.id} AND ${verdicts.state} = 'draft')))`;
