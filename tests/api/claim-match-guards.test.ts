import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json, uniquePlace } from "../helpers";

/*
 * Pairs the matcher's guards keep apart (src/domain/claim-matching.ts), seen where a false
 * "same" costs most: an import links a record to the recorded claim and drops its verdict.
 */

interface Matches {
	data: { claim: { id: string }; relation: "same" | "similar" }[];
}
interface ImportAnswer {
	results: { status: string; claimId?: string }[];
}

/** A random name of letters only: a digit would be a number the claim has not. */
const speakerName = () =>
	`Minister ${newId()
		.replace(/\d/g, (d) => "abcdefghij"[Number(d)] ?? "a")
		.slice(0, 6)}`;

async function importOne(text: string, language: string, speaker: string) {
	const { user } = await makeUser("editor");
	const { token } = await apiToken(user, ["import"]);
	const record = {
		claim: { text, language, claimedAt: "2025-03-01" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://other-outlet.example/${newId()}`, title: "Another outlet" }],
		verdict: {
			rating: "false",
			originalRating: "False",
			headline: "Not so",
			url: `https://factcheck.example/${newId()}`,
		},
	};
	const answer = await json<ImportAnswer>(
		await apiCall("POST", "/api/v1/import", { token, body: { records: [record] } }),
	);
	return answer.results[0];
}

async function relationTo(claimId: string, text: string, language: string) {
	const answer = await json<Matches>(
		await call(`/api/v1/claims/matches?${new URLSearchParams({ text, language })}`),
	);
	return answer.data.find((m) => m.claim.id === claimId)?.relation ?? null;
}

describe("POST /api/v1/import keeps apart claims the words alone would join", () => {
	it.each([
		[
			"en",
			(x: string) => `The ${x} party voted against the law.`,
			(x: string) => `The ${x} party voted for the law.`,
		],
		[
			"de",
			(x: string) => `Die ${x} hat gegen das Gesetz gestimmt.`,
			(x: string) => `Die ${x} hat für das Gesetz gestimmt.`,
		],
	])("%s: a vote for is not the vote against (created, not linked)", async (language, recorded, asked) => {
		const [party, speaker] = [uniquePlace(), speakerName()];
		const original = await makeClaim({ text: recorded(party), language, speaker: { name: speaker } });
		expect(await relationTo(original.id, asked(party), language)).toBe("similar");
		const result = await importOne(asked(party), language, speaker);
		expect(result?.status).toBe("created");
		expect(result?.claimId).not.toBe(original.id);
	});
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: a word the other text lacks", () => {
	it.each([
		[
			"another compound of a shared part",
			"de",
			(x: string) => `In ${x} hat der Bundestag das Gesetz zur Wehrpflicht beschlossen.`,
			(x: string) => `In ${x} hat der Bundesrat das Gesetz zur Wehrpflicht beschlossen.`,
		],
		[
			"two names swapped around a German auxiliary",
			"de",
			(x: string) => `Russland hat die Ukraine in ${x} angegriffen.`,
			(x: string) => `Die Ukraine hat Russland in ${x} angegriffen.`,
		],
		[
			"a sender swapped for the recipient",
			"en",
			(x: string) => `Russia sent troops to Belarus for the ${x} exercise.`,
			(x: string) => `Belarus sent troops to Russia for the ${x} exercise.`,
		],
		[
			"a sender swapped for the recipient",
			"de",
			(x: string) => `Deutschland liefert Waffen an die Ukraine, meldet ${x}.`,
			(x: string) => `Die Ukraine liefert Waffen an Deutschland, meldet ${x}.`,
		],
	])(
		"%s is another claim (%s): similar, and the record is created, not linked",
		async (_, language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("similar");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).toBe("created");
			expect(result?.claimId).not.toBe(original.id);
		},
	);
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: who does it to whom", () => {
	it.each([
		[
			"de",
			(x: string) => `Angriffe auf Polizisten in ${x} haben sich seit 2015 verdoppelt.`,
			(x: string) => `Angriffe von Polizisten in ${x} haben sich seit 2015 verdoppelt.`,
		],
		[
			"de",
			(x: string) => `Straftaten durch Zuwanderer sind in ${x} gestiegen.`,
			(x: string) => `Straftaten gegen Zuwanderer sind in ${x} gestiegen.`,
		],
		[
			"en",
			(x: string) => `Violence against women by refugees has increased in ${x}.`,
			(x: string) => `Violence against refugees by women has increased in ${x}.`,
		],
		[
			"en",
			(x: string) => `Donations from Russia to the AfD in ${x} have tripled.`,
			(x: string) => `Donations from the AfD to Russia in ${x} have tripled.`,
		],
		[
			"en",
			(x: string) => `Germany pays for Ukraine's pensions, the ${x} report says.`,
			(x: string) => `Ukraine pays for Germany's pensions, the ${x} report says.`,
		],
	])(
		"%s: the one who acts swapped for the one acted on, in common nouns too, is another claim: similar, and the record is created, not linked",
		async (language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("similar");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).toBe("created");
			expect(result?.claimId).not.toBe(original.id);
		},
	);
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: who leads a ranking", () => {
	it.each([
		[
			"de",
			(x: string) => `In ${x} liegt die AfD in Umfragen erstmals vor der Union.`,
			(x: string) => `In ${x} liegt die AfD in Umfragen erstmals hinter der Union.`,
		],
		[
			"de",
			(x: string) => `In ${x} liegt die AfD in Umfragen erstmals vor der Union.`,
			(x: string) => `In ${x} liegt die Union in Umfragen erstmals vor der AfD.`,
		],
		[
			"en",
			(x: string) => `In ${x}, the AfD is ahead of the CDU in the polls.`,
			(x: string) => `In ${x}, the CDU is ahead of the AfD in the polls.`,
		],
	])(
		"%s: a lead turned round is another claim: similar, and the record is created, not linked",
		async (language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("similar");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).toBe("created");
			expect(result?.claimId).not.toBe(original.id);
		},
	);
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: a word the stop lists took", () => {
	it.each([
		[
			"en",
			(x: string) => `The federal government raises the minimum wage in ${x}.`,
			(x: string) => `The state government raises the minimum wage in ${x}.`,
		],
		[
			"en",
			(x: string) => `Gas prices in ${x} rose last year.`,
			(x: string) => `Gas prices in ${x} rose this year.`,
		],
		[
			"de",
			(x: string) => `Die Gaspreise in ${x} sind im vergangenen Jahr gestiegen.`,
			(x: string) => `Die Gaspreise in ${x} sind in diesem Jahr gestiegen.`,
		],
		[
			"de",
			(x: string) => `Die Regierung in ${x} will die Steuern erhöhen.`,
			(x: string) => `Die Regierung in ${x} hat die Steuern erhöht.`,
		],
		[
			"en",
			(x: string) => `The government of ${x} will raise taxes.`,
			(x: string) => `The government of ${x} raised taxes.`,
		],
	])(
		"%s: another level, time or mode is another claim: similar, and the record is created, not linked",
		async (language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("similar");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).toBe("created");
			expect(result?.claimId).not.toBe(original.id);
		},
	);
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: words the tables missed", () => {
	it.each([
		[
			"most against the fewest",
			"de",
			(x: string) => `Die meisten Ärzte in ${x} raten von der Impfung ab.`,
			(x: string) => `Die wenigsten Ärzte in ${x} raten von der Impfung ab.`,
		],
		[
			"advice against advice for",
			"de",
			(x: string) => `Die meisten Ärzte in ${x} raten von der Impfung ab.`,
			(x: string) => `Die meisten Ärzte in ${x} raten zur Impfung.`,
		],
		[
			"advice against advice for",
			"en",
			(x: string) => `Most doctors in ${x} advise against the vaccine.`,
			(x: string) => `Most doctors in ${x} advise the vaccine.`,
		],
		[
			"a lead turned round in the perfect",
			"de",
			(x: string) => `Die AfD hat die Union in ${x} überholt.`,
			(x: string) => `Die Union hat die AfD in ${x} überholt.`,
		],
		[
			"a lead turned round in the perfect",
			"en",
			(x: string) => `Renewables have overtaken coal in ${x}.`,
			(x: string) => `Coal has overtaken renewables in ${x}.`,
		],
		[
			"a plan against its preterite",
			"de",
			(x: string) => `Die Regierung in ${x} will die Rente kürzen.`,
			(x: string) => `Die Regierung in ${x} kürzte die Rente.`,
		],
		[
			"who acts by a possessive turned round",
			"en",
			(x: string) => `Russia's attacks on Ukraine have doubled, the ${x} report says.`,
			(x: string) => `Ukraine's attacks on Russia have doubled, the ${x} report says.`,
		],
		[
			"a lead after a time turned round",
			"de",
			(x: string) => `Vor der Wahl liegt die AfD in ${x} vor der Union.`,
			(x: string) => `Vor der Wahl liegt die Union in ${x} vor der AfD.`,
		],
		[
			"a lead after a time turned round",
			"en",
			(x: string) => `Ahead of the election, the AfD is ahead of the CDU in ${x}.`,
			(x: string) => `Ahead of the election, the CDU is ahead of the AfD in ${x}.`,
		],
		[
			"advice against a vaccine against a disease",
			"en",
			(x: string) => `The WHO recommends the vaccine against measles for children in ${x}.`,
			(x: string) => `The WHO recommends against the vaccine against measles for children in ${x}.`,
		],
		[
			"a plan against a past in reported speech",
			"de",
			(x: string) => `Merz sagte, die Bahn werde die Preise in ${x} erhöhen.`,
			(x: string) => `Merz sagte, die Bahn habe die Preise in ${x} erhöht.`,
		],
		[
			"a plan against a strong preterite",
			"de",
			(x: string) => `Die Regierung in ${x} will das Elterngeld streichen.`,
			(x: string) => `Die Regierung in ${x} strich das Elterngeld.`,
		],
		[
			"a lead over a name turned round",
			"en",
			(x: string) => `Reform UK is ahead of the Conservatives in ${x}.`,
			(x: string) => `The Conservatives are ahead of Reform UK in ${x}.`,
		],
		[
			"a part of a whole turned round",
			"de",
			(x: string) => `In ${x} ist der Anteil von Migranten an den Tatverdächtigen gestiegen.`,
			(x: string) => `In ${x} ist der Anteil von Tatverdächtigen an den Migranten gestiegen.`,
		],
		[
			"a lead with könnte turned round",
			"de",
			(x: string) => `Die AfD könnte die Union in ${x} überholen.`,
			(x: string) => `Die Union könnte die AfD in ${x} überholen.`,
		],
		[
			"the most against the least",
			"de",
			(x: string) => `Friseure verdienen in ${x} am wenigsten.`,
			(x: string) => `Friseure verdienen in ${x} am meisten.`,
		],
		[
			"the most against the least",
			"en",
			(x: string) => `${x} spends the least on schools.`,
			(x: string) => `${x} spends the most on schools.`,
		],
		[
			"an invasion by a possessive turned round",
			"en",
			(x: string) => `Russia's invasion of Ukraine killed 10,000 civilians, the ${x} report says.`,
			(x: string) => `Ukraine's invasion of Russia killed 10,000 civilians, the ${x} report says.`,
		],
		[
			"a promise against the thing done",
			"en",
			(x: string) => `The government of ${x} promised to raise pensions.`,
			(x: string) => `The government of ${x} raised pensions.`,
		],
		[
			"a decision against the thing done",
			"de",
			(x: string) => `Der Landtag in ${x} beschloss, den Mindestlohn zu erhöhen.`,
			(x: string) => `Der Landtag in ${x} erhöhte den Mindestlohn.`,
		],
		[
			"kündigte without an for will kündigen",
			"de",
			(x: string) => `Der Vermieter in ${x} kündigte der Familie die Wohnung.`,
			(x: string) => `Der Vermieter in ${x} will der Familie die Wohnung kündigen.`,
		],
		[
			"a promise to cut against the cut",
			"en",
			(x: string) => `The mayor of ${x} promised to cut taxes.`,
			(x: string) => `The mayor of ${x} cut taxes.`,
		],
		[
			"will hit against hit",
			"en",
			(x: string) => `Russia will hit ${x} with missiles.`,
			(x: string) => `Russia hit ${x} with missiles.`,
		],
		[
			"an invasion's of and by turned round",
			"en",
			(x: string) => `The invasion of Ukraine by Russia killed 10,000 civilians, the ${x} report says.`,
			(x: string) => `The invasion of Russia by Ukraine killed 10,000 civilians, the ${x} report says.`,
		],
		[
			"advice strongly against for the advice",
			"en",
			(x: string) => `The health board of ${x} recommends strongly against the vaccine.`,
			(x: string) => `The health board of ${x} recommends the vaccine.`,
		],
		[
			"advice against a jab for advice of a jab against flu",
			"en",
			(x: string) => `Doctors in ${x} advise a jab against flu for everyone over 60.`,
			(x: string) => `Doctors in ${x} advise against a jab against flu for everyone over 60.`,
		],
		[
			"could rise against has risen",
			"en",
			(x: string) => `Inflation in ${x} could rise to 5 percent.`,
			(x: string) => `Inflation in ${x} has risen to 5 percent.`,
		],
		[
			"a past spread to against could spread to",
			"en",
			(x: string) => `A measles outbreak spread to five states, health officials in ${x} said.`,
			(x: string) => `A measles outbreak could spread to five states, health officials in ${x} said.`,
		],
		[
			"won't against didn't",
			"en",
			(x: string) => `The mayor of ${x} didn't raise taxes.`,
			(x: string) => `The mayor of ${x} won't raise taxes.`,
		],
		[
			"a past set against will set",
			"en",
			(x: string) => `The central bank of ${x} set rates at 4 percent.`,
			(x: string) => `The central bank of ${x} will set rates at 4 percent.`,
		],
		[
			"a surname Richter's entschied, dass … wird against hat geschlossen",
			"de",
			(x: string) => `Innenminister Richter in ${x} entschied, dass die Grenze geschlossen wird.`,
			(x: string) => `Innenminister Richter in ${x} hat die Grenze geschlossen.`,
		],
		[
			"a court's order (dass … muss) against the deed",
			"de",
			(x: string) => `Das Verfassungsgericht entschied, dass die Wahl in ${x} wiederholt werden muss.`,
			(x: string) => `Die Wahl in ${x} wurde wiederholt.`,
		],
		[
			"a set of sanctions hit against will hit",
			"en",
			(x: string) => `Another set of sanctions hit banks in ${x}.`,
			(x: string) => `Another set of sanctions will hit banks in ${x}.`,
		],
		[
			"a past spread after say against will spread",
			"en",
			(x: string) => `Health officials in ${x} say a measles outbreak spread.`,
			(x: string) => `Health officials in ${x} say a measles outbreak will spread.`,
		],
		[
			"we'll raise against we raised",
			"en",
			(x: string) => `The mayor of ${x}: We raised the minimum wage to 15 euros.`,
			(x: string) => `The mayor of ${x}: We'll raise the minimum wage to 15 euros.`,
		],
		[
			"must cut against cut",
			"en",
			(x: string) => `The mayor of ${x} cut taxes for the middle class.`,
			(x: string) => `The mayor of ${x} must cut taxes for the middle class.`,
		],
		[
			"muss anheben against hat angehoben",
			"de",
			(x: string) => `${x} hat das Rentenalter auf 70 angehoben.`,
			(x: string) => `${x} muss das Rentenalter auf 70 anheben.`,
		],
		[
			"a Title Case headline's Beat against Will Beat",
			"en",
			(x: string) => `Germany Beat ${x} 7-1 In World Cup Semifinal`,
			(x: string) => `Germany Will Beat ${x} 7-1 In World Cup Semifinal`,
		],
		[
			"a headline's promises tax cut against cut taxes",
			"en",
			(x: string) => `The mayor of ${x} cut taxes for the middle class`,
			(x: string) => `The mayor of ${x} promises tax cut for the middle class`,
		],
		[
			"könnte steigen against ist gestiegen",
			"de",
			(x: string) => `Die Inflation in ${x} könnte auf 5 Prozent steigen.`,
			(x: string) => `Die Inflation in ${x} ist auf 5 Prozent gestiegen.`,
		],
		[
			"a deed beside a later clause's threat against the will (s33 r348, 1)",
			"en",
			(x: string) => `The mayor of ${x} will raise the minimum wage to 12 euros.`,
			(x: string) => `The mayor of ${x} raised the minimum wage to 12 euros after unions threatened strikes.`,
		],
		[
			"should have delivered against will deliver (s33 r348, 2)",
			"en",
			(x: string) => `${x} will deliver Taurus missiles to Ukraine.`,
			(x: string) => `${x} should have delivered Taurus missiles to Ukraine.`,
		],
		[
			"he'd never raised against he would never raise (s33 r348, 3)",
			"en",
			(x: string) => `The mayor of ${x} said he would never raise taxes on pensioners.`,
			(x: string) => `The mayor of ${x} said he'd never raised taxes on pensioners.`,
		],
		[
			"a whole's unter before the partitive turned round",
			"de",
			(x: string) => `Unter den Tatverdächtigen in ${x} ist der Anteil von Migranten gestiegen.`,
			(x: string) => `Unter den Migranten in ${x} ist der Anteil von Tatverdächtigen gestiegen.`,
		],
	])(
		"%s (%s) is another claim: similar, and the record is created, not linked",
		async (_, language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("similar");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).toBe("created");
			expect(result?.claimId).not.toBe(original.id);
		},
	);
});

describe("GET /api/v1/claims/matches and POST /api/v1/import: a restatement the guards took apart", () => {
	it.each([
		[
			"a partitive von for an",
			"de",
			(x: string) => `In ${x} ist der Anteil von Frauen im Landtag gesunken.`,
			(x: string) => `In ${x} ist der Anteil an Frauen im Landtag gesunken.`,
		],
		[
			"a cause's an for durch",
			"de",
			(x: string) => `In ${x} sind 2023 mehr als 3.000 Menschen an Hitze gestorben.`,
			(x: string) => `In ${x} sind 2023 mehr als 3.000 Menschen durch Hitze gestorben.`,
		],
		[
			"vor der Wahl moved",
			"de",
			(x: string) => `Die AfD lag in ${x} vor der Wahl in Umfragen bei 20 Prozent.`,
			(x: string) => `In Umfragen vor der Wahl lag die AfD in ${x} bei 20 Prozent.`,
		],
		[
			"ahead of the election moved",
			"en",
			(x: string) => `Support for the AfD in ${x} grew ahead of the election, polls show.`,
			(x: string) => `Polls ahead of the election show that support for the AfD in ${x} grew.`,
		],
		[
			"refused to for would not",
			"en",
			(x: string) => `The mayor of ${x} said he would not raise taxes.`,
			(x: string) => `The mayor of ${x} refused to raise taxes.`,
		],
		[
			"beschloss for hat beschlossen",
			"de",
			(x: string) => `Der Landtag in ${x} beschloss, den Mindestlohn auf 15 Euro zu erhöhen.`,
			(x: string) => `Der Landtag in ${x} hat eine Erhöhung des Mindestlohns auf 15 Euro beschlossen.`,
		],
		[
			"voted for for voted to",
			"en",
			(x: string) => `Parliament in ${x} voted to raise the minimum wage.`,
			(x: string) => `Parliament in ${x} voted for raising the minimum wage.`,
		],
		[
			"are being raised for will be raised",
			"en",
			(x: string) => `Taxes in ${x} are being raised next year.`,
			(x: string) => `Taxes in ${x} will be raised next year.`,
		],
		[
			"a two-word place's possessive for by",
			"en",
			(x: string) => `North Korea's missile tests alarmed ${x}.`,
			(x: string) => `Missile tests by North Korea alarmed ${x}.`,
		],
		[
			"overtaken by for has overtaken",
			"en",
			(x: string) => `Renewables have overtaken coal in ${x}.`,
			(x: string) => `Coal was overtaken by renewables in ${x}.`,
		],
		[
			"the vaccine against flu for the flu vaccine",
			"en",
			(x: string) => `Experts in ${x} recommend the vaccine against flu for everyone over 60.`,
			(x: string) => `Experts in ${x} recommend the flu vaccine for everyone over 60.`,
		],
		[
			"kündigte for hat gekündigt",
			"de",
			(x: string) => `Die Stadt ${x} hat den Vertrag mit dem Betreiber gekündigt.`,
			(x: string) => `Die Stadt ${x} kündigte den Vertrag mit dem Betreiber.`,
		],
		[
			"a ruling's entschied, dass for hat erklärt",
			"de",
			(x: string) => `Das Verfassungsgericht in ${x} entschied, dass das Gesetz verfassungswidrig ist.`,
			(x: string) => `Das Verfassungsgericht in ${x} hat das Gesetz für verfassungswidrig erklärt.`,
		],
		[
			"a court's entschied, dass … verstößt for hat für rechtswidrig erklärt",
			"de",
			(x: string) =>
				`Der Gerichtshof in ${x} entschied, dass die Vorratsdatenspeicherung gegen EU-Recht verstößt.`,
			(x: string) => `Der Gerichtshof in ${x} hat die Vorratsdatenspeicherung für rechtswidrig erklärt.`,
		],
		[
			"he'd tighten for he would tighten (s33 r348, 3)",
			"en",
			(x: string) => `The mayor of ${x} said he would tighten the rules on asylum.`,
			(x: string) => `The mayor of ${x} said he'd tighten the rules on asylum.`,
		],
		[
			"die Karlsruher Richter entschieden for das Bundesverfassungsgericht hat entschieden (s33 r348, 4)",
			"de",
			(x: string) =>
				`Das Bundesverfassungsgericht hat entschieden, dass das Wahlrecht in ${x} gegen das Grundgesetz verstößt.`,
			(x: string) =>
				`Die Karlsruher Richter entschieden, dass das Wahlrecht in ${x} gegen das Grundgesetz verstößt.`,
		],
		[
			"the one annexed's possessive with by for the annexer's",
			"en",
			(x: string) => `Russia's annexation of Crimea violated international law, the ${x} report says.`,
			(x: string) => `Crimea's annexation by Russia violated international law, the ${x} report says.`,
		],
		[
			"a jab against flu advised for a flu jab",
			"en",
			(x: string) => `Doctors in ${x} advise a flu jab for everyone over 60.`,
			(x: string) => `Doctors in ${x} advise a jab against flu for everyone over 60.`,
		],
		[
			"an invasion's by before cost for its possessive",
			"en",
			(x: string) => `Russia's invasion of Ukraine cost 20,000 soldiers, the ${x} report says.`,
			(x: string) => `The invasion of Ukraine by Russia cost 20,000 soldiers, the ${x} report says.`,
		],
		[
			"the largest number of for the most",
			"en",
			(x: string) => `${x} took in the most refugees.`,
			(x: string) => `${x} took in the largest number of refugees.`,
		],
		[
			"das meiste Geld for am meisten",
			"de",
			(x: string) => `${x} gibt am meisten für Schulen aus.`,
			(x: string) => `${x} gibt das meiste Geld für Schulen aus.`,
		],
	])(
		"%s (%s) is the same claim: same, and the record goes to the recorded claim, no second one",
		async (_, language, recorded, asked) => {
			const [place, speaker] = [uniquePlace(), speakerName()];
			const original = await makeClaim({ text: recorded(place), language, speaker: { name: speaker } });
			expect(await relationTo(original.id, asked(place), language)).toBe("same");
			const result = await importOne(asked(place), language, speaker);
			expect(result?.status).not.toBe("created");
			expect(result?.claimId).toBe(original.id);
		},
	);
});
