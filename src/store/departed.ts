import { type SQLWrapper, sql } from "drizzle-orm";

/** Whether a joined account is disabled (false for none): the desk marks it "account disabled". */
export const departed = (disabledAt: SQLWrapper) => sql<boolean>`${disabledAt} IS NOT NULL`.mapWith(Boolean);
