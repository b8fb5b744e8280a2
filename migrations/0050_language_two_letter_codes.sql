-- Hand-written: language tags use a language's current, shortest code (BCP 47; CLDR's
-- canonical form). The forms and the API took "deu" or "ger" as written, so a German review
-- stored as "deu" was labelled "Falsch" by Google's claims:search and "False" by its
-- ClaimReview, and `languageCode=de` did not find it. domain/language-tags now writes such
-- codes as their two letters (TWO_LETTER_CODES) and five deprecated two-letter codes as
-- their replacements (REPLACED_CODES: iw → he, in → id, ji → yi, jw → jv, mo → ro): these
-- pairs. This rewrites the tags stored before, the primary subtag only ("deu-AT" → "de-AT");
-- a restore of an older backup does the same (store/backup). History rows (claim_changes'
-- JSON) keep what they recorded.
-- Search terms were stemmed by the tag's first letters (German for "de…", English for
-- "en…"), so "deu" and "eng" claims have German and English stems already; "ger" ones were
-- not stemmed and become German: their terms are cleared first, which the desk Worker's cron
-- (and `npm run reindex`) recomputes, as for terms of an older SEARCH_TERMS_VERSION.
CREATE TABLE `language_codes_0050` (`old` text PRIMARY KEY NOT NULL, `new` text NOT NULL);
--> statement-breakpoint
INSERT INTO `language_codes_0050` (`old`, `new`) VALUES
('aar','aa'), ('abk','ab'), ('adp','dz'), ('afr','af'), ('aka','ak'), ('alb','sq'), ('als','sq'), ('amh','am'), ('ara','ar'), ('arb','ar'), ('arg','an'), ('arm','hy'),
('asm','as'), ('ava','av'), ('ave','ae'), ('aym','ay'), ('ayr','ay'), ('aze','az'), ('azj','az'), ('bak','ba'), ('bam','bm'), ('baq','eu'), ('bel','be'), ('ben','bn'),
('bis','bi'), ('bod','bo'), ('bos','bs'), ('bre','br'), ('bul','bg'), ('bur','my'), ('cat','ca'), ('ces','cs'), ('cha','ch'), ('che','ce'), ('chi','zh'), ('chu','cu'),
('chv','cv'), ('cls','sa'), ('cmn','zh'), ('cor','kw'), ('cos','co'), ('cre','cr'), ('cwd','cr'), ('cym','cy'), ('cze','cs'), ('dan','da'), ('deu','de'), ('div','dv'),
('drh','mn'), ('dut','nl'), ('dzo','dz'), ('ekk','et'), ('ell','el'), ('eng','en'), ('epo','eo'), ('esk','ik'), ('est','et'), ('eus','eu'), ('ewe','ee'), ('fao','fo'),
('fas','fa'), ('fat','ak'), ('fij','fj'), ('fin','fi'), ('fra','fr'), ('fre','fr'), ('fry','fy'), ('fuc','ff'), ('ful','ff'), ('gaz','om'), ('geo','ka'), ('ger','de'),
('gla','gd'), ('gle','ga'), ('glg','gl'), ('glv','gv'), ('gre','el'), ('grn','gn'), ('gug','gn'), ('guj','gu'), ('hat','ht'), ('hau','ha'), ('heb','he'), ('her','hz'),
('hin','hi'), ('hmo','ho'), ('hrv','hr'), ('hun','hu'), ('hye','hy'), ('ibo','ig'), ('ice','is'), ('ido','io'), ('iii','ii'), ('ike','iu'), ('iku','iu'), ('ile','ie'),
('ina','ia'), ('ind','id'), ('ipk','ik'), ('isl','is'), ('ita','it'), ('jav','jv'), ('jaw','jv'), ('jpn','ja'), ('kal','kl'), ('kan','kn'), ('kas','ks'), ('kat','ka'),
('kau','kr'), ('kaz','kk'), ('khk','mn'), ('khm','km'), ('kik','ki'), ('kin','rw'), ('kir','ky'), ('kmr','ku'), ('knc','kr'), ('kng','kg'), ('kom','kv'), ('kon','kg'),
('kor','ko'), ('kpv','kv'), ('kua','kj'), ('kur','ku'), ('lao','lo'), ('lat','la'), ('lav','lv'), ('lim','li'), ('lin','ln'), ('lit','lt'), ('ltz','lb'), ('lub','lu'),
('lug','lg'), ('lvs','lv'), ('mac','mk'), ('mah','mh'), ('mal','ml'), ('mao','mi'), ('mar','mr'), ('may','ms'), ('mkd','mk'), ('mlg','mg'), ('mlt','mt'), ('mol','ro'),
('mon','mn'), ('mri','mi'), ('msa','ms'), ('mya','my'), ('nau','na'), ('nav','nv'), ('nbl','nr'), ('nde','nd'), ('ndo','ng'), ('nep','ne'), ('nld','nl'), ('nno','nn'),
('nob','nb'), ('nor','no'), ('npi','ne'), ('nya','ny'), ('oci','oc'), ('ojg','oj'), ('oji','oj'), ('ori','or'), ('orm','om'), ('ory','or'), ('oss','os'), ('pan','pa'),
('pbu','ps'), ('per','fa'), ('pes','fa'), ('pli','pi'), ('plt','mg'), ('pol','pl'), ('por','pt'), ('prp','gu'), ('pus','ps'), ('que','qu'), ('quz','qu'), ('roh','rm'),
('ron','ro'), ('rum','ro'), ('run','rn'), ('rus','ru'), ('sag','sg'), ('san','sa'), ('scc','sr'), ('scr','hr'), ('sin','si'), ('slk','sk'), ('slo','sk'), ('slv','sl'),
('sme','se'), ('smo','sm'), ('sna','sn'), ('snd','sd'), ('som','so'), ('sot','st'), ('spa','es'), ('sqi','sq'), ('src','sc'), ('srd','sc'), ('srp','sr'), ('ssw','ss'),
('sun','su'), ('swa','sw'), ('swe','sv'), ('swh','sw'), ('tah','ty'), ('tam','ta'), ('tat','tt'), ('tel','te'), ('tgk','tg'), ('tha','th'), ('tib','bo'), ('tir','ti'),
('ton','to'), ('tsn','tn'), ('tso','ts'), ('tuk','tk'), ('tur','tr'), ('twi','ak'), ('uig','ug'), ('ukr','uk'), ('urd','ur'), ('uzb','uz'), ('uzn','uz'), ('ven','ve'),
('vie','vi'), ('vol','vo'), ('wel','cy'), ('wln','wa'), ('wol','wo'), ('xho','xh'), ('ydd','yi'), ('yid','yi'), ('yor','yo'), ('zha','za'), ('zho','zh'), ('zsm','ms'),
('zul','zu'), ('zyb','za'), ('iw','he'), ('in','id'), ('ji','yi'), ('jw','jv'), ('mo','ro');
--> statement-breakpoint
UPDATE `claims` SET `search_terms` = NULL WHERE `search_terms` IS NOT NULL AND CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END = 'ger';
--> statement-breakpoint
UPDATE `retired_claims` SET `search_terms` = NULL WHERE `search_terms` IS NOT NULL AND CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END = 'ger';
--> statement-breakpoint
UPDATE `claims` SET `language` = (SELECT `new` FROM `language_codes_0050` WHERE `old` = CASE WHEN instr(`claims`.`language`, '-') > 0 THEN substr(`claims`.`language`, 1, instr(`claims`.`language`, '-') - 1) ELSE `claims`.`language` END) || CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, instr(`language`, '-')) ELSE '' END
WHERE CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END IN (SELECT `old` FROM `language_codes_0050`);
--> statement-breakpoint
UPDATE `verdicts` SET `language` = (SELECT `new` FROM `language_codes_0050` WHERE `old` = CASE WHEN instr(`verdicts`.`language`, '-') > 0 THEN substr(`verdicts`.`language`, 1, instr(`verdicts`.`language`, '-') - 1) ELSE `verdicts`.`language` END) || CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, instr(`language`, '-')) ELSE '' END
WHERE CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END IN (SELECT `old` FROM `language_codes_0050`);
--> statement-breakpoint
UPDATE `sources` SET `language` = (SELECT `new` FROM `language_codes_0050` WHERE `old` = CASE WHEN instr(`sources`.`language`, '-') > 0 THEN substr(`sources`.`language`, 1, instr(`sources`.`language`, '-') - 1) ELSE `sources`.`language` END) || CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, instr(`language`, '-')) ELSE '' END
WHERE CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END IN (SELECT `old` FROM `language_codes_0050`);
--> statement-breakpoint
UPDATE `retired_claims` SET `language` = (SELECT `new` FROM `language_codes_0050` WHERE `old` = CASE WHEN instr(`retired_claims`.`language`, '-') > 0 THEN substr(`retired_claims`.`language`, 1, instr(`retired_claims`.`language`, '-') - 1) ELSE `retired_claims`.`language` END) || CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, instr(`language`, '-')) ELSE '' END
WHERE CASE WHEN instr(`language`, '-') > 0 THEN substr(`language`, 1, instr(`language`, '-') - 1) ELSE `language` END IN (SELECT `old` FROM `language_codes_0050`);
--> statement-breakpoint
DROP TABLE `language_codes_0050`;
