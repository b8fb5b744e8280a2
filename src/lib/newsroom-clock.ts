import { FALLBACK_TIME_ZONE } from "../domain/deployment-settings";
import { dayIn } from "../domain/time-zone";

/**
 * The zone days and times are shown in: the deployment's `NEWSROOM_TIME_ZONE`, set by the
 * app shell for each request before anything renders (src/app-shell.ts). A `[vars]` value is
 * the same for every request an isolate serves, so two requests in flight never need two
 * zones, and no cached answer (keyed by address and language) depends on anything else.
 * Here, not in views/i18n, so that a store's message dates a day as the pages do.
 */
let shownZone = FALLBACK_TIME_ZONE;

export function showTimesIn(zone: string): void {
	shownZone = zone;
}

export function shownTimeZone(): string {
	return shownZone;
}

/**
 * "2025-11-21": the newsroom's day of a timestamp, for a message a store writes (a removed
 * claim's day). Cut to the UTC day, a claim removed at 00:10 in Berlin was said to be
 * removed the day before, while its page, card and API problem say the day it was.
 */
export function newsroomDay(iso: string): string {
	return dayIn(iso, shownZone) ?? iso.slice(0, 10);
}
