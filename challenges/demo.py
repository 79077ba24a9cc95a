"""Demo challenges: topic fields and a few dozen challenges in every state of curation.

Keyed by `external_id` ("demo-01" …) and topic slugs, so the seed can run again.
Intake of the demo edition closed a week ago, so rows are written directly, the
way an import of curated challenges would write them, not through the intake service.
"""

from __future__ import annotations

from datetime import timedelta

from challenges.enums import ChallengeStatus, GiverType
from challenges.models import Challenge, ChallengeOwner, ChallengeQuestion, ChallengeSupport, Topic
from challenges.services import challenge_assign_number, set_tags

TOPICS = [
    ("gesundheit", "Gesundheit & Pflege", "Versorgung, Pflege, Prävention und Gesundheitsämter."),
    ("bildung", "Bildung & Schule", "Lernen zu Hause, digitale Schule und Weiterbildung."),
    ("verwaltung", "Digitale Verwaltung", "Anträge, Register und Behördengänge online."),
    ("zusammenhalt", "Nachbarschaft & Zusammenhalt", "Hilfe vor Ort, Ehrenamt, Einsamkeit."),
    ("wirtschaft", "Wirtschaft & Arbeit", "Selbstständige, Kurzarbeit, Lieferketten."),
    ("information", "Information & Kommunikation", "Verlässliche Informationen für alle."),
]

# (topic, title, problem, affected, desired outcome, giver type, organisation, state, tags)
CHALLENGES = [
    (
        "gesundheit",
        "Freie Intensivbetten in Echtzeit sehen",
        "Rettungsdienste telefonieren nachts Krankenhaus für Krankenhaus ab, um ein freies Intensivbett zu finden. Das kostet Zeit, die Patientinnen und Patienten nicht haben.",
        "Rettungsdienste, Leitstellen und schwer erkrankte Menschen",
        "Eine gemeinsame Übersicht, in der Kliniken freie Betten melden und Leitstellen sie sofort sehen.",
        GiverType.FEDERAL_BODY,
        "Bundesministerium für Gesundheit",
        "BE",
        ["Krankenhaus", "Echtzeitdaten"],
    ),
    (
        "gesundheit",
        "Gesundheitsämter bei der Kontaktnachverfolgung entlasten",
        "Gesundheitsämter erfassen Kontaktpersonen per Telefon und Excel-Tabellen. Bei steigenden Fallzahlen kommen sie mit der Nachverfolgung nicht hinterher.",
        "Mitarbeitende der Gesundheitsämter und Kontaktpersonen",
        "Ein einfaches Werkzeug, mit dem Fälle und Kontakte digital erfasst und nachverfolgt werden.",
        GiverType.MUNICIPALITY,
        "Gesundheitsamt Köln",
        "NW",
        ["Gesundheitsamt", "Kontaktnachverfolgung"],
    ),
    (
        "gesundheit",
        "Pflegekräfte in Schichtplänen flexibel einsetzen",
        "Wenn Pflegekräfte in Quarantäne müssen, fallen ganze Schichten aus. Freiwillige mit Pflegeausbildung finden aber keinen Weg in die Einrichtungen, die sie brauchen.",
        "Pflegeeinrichtungen, Pflegekräfte und Pflegebedürftige",
        "Eine Vermittlung, die freiwillige Fachkräfte schnell und geprüft an Einrichtungen mit Personalnot bringt.",
        GiverType.NGO,
        "Caritasverband Musterstadt",
        "BY",
        ["Pflege", "Ehrenamt"],
    ),
    (
        "gesundheit",
        "Impftermine ohne Warteschleife vergeben",
        "Die Hotlines zur Vergabe von Impfterminen sind dauerhaft überlastet. Ältere Menschen ohne Internet kommen kaum an einen Termin.",
        "Ältere Menschen, Angehörige und Impfzentren",
        "Ein Terminverfahren, das telefonisch und online funktioniert und niemanden benachteiligt.",
        GiverType.STATE_GOVERNMENT,
        "Staatsministerium für Soziales Sachsen",
        "SN",
        ["Impfung", "Barrierefreiheit"],
    ),
    (
        "gesundheit",
        "Psychologische Hilfe während der Isolation",
        "Viele Menschen fühlen sich in Quarantäne allein gelassen. Beratungsstellen haben lange Wartezeiten und sind online schwer zu finden.",
        "Menschen in Quarantäne und Isolation",
        "Ein niedrigschwelliger Zugang zu psychologischer Erstberatung per Chat oder Telefon.",
        GiverType.CITIZEN,
        "",
        "HH",
        ["Psyche", "Beratung"],
    ),
    (
        "bildung",
        "Digitale Schule für alle Kinder",
        "Schulen sind geschlossen, aber viele Kinder haben kein Gerät und keinen Internetzugang. Lehrkräfte wissen nicht, welche Schülerinnen und Schüler sie überhaupt erreichen.",
        "Schülerinnen und Schüler aus Familien mit wenig Geld, Lehrkräfte",
        "Geräte, Zugänge und eine einfache Lernplattform, die jede Schule sofort nutzen kann.",
        GiverType.STATE_GOVERNMENT,
        "Ministerium für Bildung Rheinland-Pfalz",
        "RP",
        ["Schule", "Digitalisierung"],
    ),
    (
        "bildung",
        "Lehrmaterial zwischen Schulen teilen",
        "Jede Lehrkraft erstellt gerade eigene Arbeitsblätter für den Fernunterricht. Gutes Material bleibt in einzelnen Schulen hängen.",
        "Lehrkräfte und Schulen",
        "Eine offene Sammlung von geprüftem Lehrmaterial mit freien Lizenzen.",
        GiverType.NGO,
        "Bündnis Freie Bildung",
        "BE",
        ["Schule", "Open Educational Resources"],
    ),
    (
        "bildung",
        "Nachhilfe für Kinder, die den Anschluss verlieren",
        "Durch monatelangen Fernunterricht haben viele Kinder große Lernlücken. Eltern können sich private Nachhilfe oft nicht leisten.",
        "Schülerinnen und Schüler, Eltern",
        "Kostenlose Lernpatenschaften von Studierenden für Kinder, die Unterstützung brauchen.",
        GiverType.CITIZEN,
        "",
        "NI",
        ["Nachhilfe", "Schule"],
    ),
    (
        "bildung",
        "Weiterbildung für Menschen in Kurzarbeit",
        "Viele Beschäftigte in Kurzarbeit hätten Zeit für Weiterbildung, finden aber im Angebotsdschungel nichts Passendes.",
        "Beschäftigte in Kurzarbeit und Arbeitgeber",
        "Eine Übersicht über geförderte Weiterbildungen, passend zu Beruf und Region.",
        GiverType.FEDERAL_BODY,
        "Bundesagentur für Arbeit",
        "BY",
        ["Weiterbildung", "Kurzarbeit"],
    ),
    (
        "verwaltung",
        "Soforthilfe-Anträge digital stellen",
        "Selbstständige müssen Soforthilfen auf Papier beantragen. Die Bearbeitung dauert Wochen, während die Miete fällig wird.",
        "Solo-Selbstständige, kleine Unternehmen und Förderbanken",
        "Ein digitales Antragsverfahren mit automatischer Prüfung und schneller Auszahlung.",
        GiverType.STATE_GOVERNMENT,
        "Senatsverwaltung für Wirtschaft Berlin",
        "BE",
        ["Förderung", "Antrag"],
    ),
    (
        "verwaltung",
        "Termine im Bürgeramt gerecht verteilen",
        "Termine im Bürgeramt sind nach Sekunden vergeben, Bots reservieren sie massenhaft. Wer dringend einen Ausweis braucht, geht leer aus.",
        "Bürgerinnen und Bürger, Bürgerämter",
        "Ein faires Terminsystem mit Warteliste und Vorrang für dringende Fälle.",
        GiverType.MUNICIPALITY,
        "Bezirksamt Friedrichshain-Kreuzberg",
        "BE",
        ["Bürgeramt", "Termine"],
    ),
    (
        "verwaltung",
        "Verwaltungsdaten offen und maschinenlesbar",
        "Kommunen veröffentlichen Zahlen als PDF. Wer sie vergleichen will, muss abtippen.",
        "Journalistinnen, Forschung, Zivilgesellschaft und Verwaltungen selbst",
        "Gemeinsame offene Datenformate, die alle Kommunen einfach nutzen können.",
        GiverType.OTHER_PUBLIC_BODY,
        "Deutscher Städtetag",
        "NW",
        ["Open Data", "Kommunen"],
    ),
    (
        "verwaltung",
        "Wohngeld verständlich beantragen",
        "Viele Menschen mit Anspruch auf Wohngeld stellen keinen Antrag, weil das Formular unverständlich ist.",
        "Haushalte mit geringem Einkommen",
        "Ein Antragsassistent in einfacher Sprache, der Schritt für Schritt durch das Verfahren führt.",
        GiverType.MUNICIPALITY,
        "Stadt Leipzig",
        "SN",
        ["Wohngeld", "Einfache Sprache"],
    ),
    (
        "zusammenhalt",
        "Einkaufshilfe für Risikogruppen organisieren",
        "Ältere und vorerkrankte Menschen sollen zu Hause bleiben, haben aber niemanden, der für sie einkauft. Hilfsbereite Nachbarn wissen nicht, wer Hilfe braucht.",
        "Risikogruppen und hilfsbereite Nachbarinnen und Nachbarn",
        "Eine einfache Vermittlung von Einkaufshilfe in der Nachbarschaft, auch per Telefon.",
        GiverType.CITIZEN,
        "",
        "HE",
        ["Nachbarschaft", "Einkaufen"],
    ),
    (
        "zusammenhalt",
        "Einsamkeit im Pflegeheim verringern",
        "Wegen Besuchsverboten sehen Bewohnerinnen und Bewohner von Pflegeheimen ihre Familien wochenlang nicht.",
        "Menschen in Pflegeheimen und ihre Angehörigen",
        "Einfach zu bedienende Videotelefonie und Besuchsplanung für Pflegeheime.",
        GiverType.NGO,
        "Diakonie Württemberg",
        "BW",
        ["Pflege", "Einsamkeit"],
    ),
    (
        "zusammenhalt",
        "Ehrenamtliche Helfer:innen koordinieren",
        "Tausende Menschen wollen helfen, aber Vereine und Tafeln können die Angebote nicht koordinieren.",
        "Vereine, Tafeln und Freiwillige",
        "Eine Plattform, auf der Organisationen Aufgaben einstellen und Freiwillige sie übernehmen.",
        GiverType.NGO,
        "Tafel Deutschland e. V.",
        "BE",
        ["Ehrenamt", "Koordination"],
    ),
    (
        "zusammenhalt",
        "Schutz vor häuslicher Gewalt im Lockdown",
        "Frauen und Kinder sind im Lockdown häufiger häuslicher Gewalt ausgesetzt und können schwer unbemerkt Hilfe holen.",
        "Betroffene häuslicher Gewalt, Beratungsstellen",
        "Diskrete Wege, Hilfe zu rufen, und eine Übersicht freier Plätze in Schutzhäusern.",
        GiverType.FEDERAL_BODY,
        "Bundesministerium für Familie, Senioren, Frauen und Jugend",
        "BE",
        ["Gewaltschutz", "Beratung"],
    ),
    (
        "wirtschaft",
        "Lokale Geschäfte online sichtbar machen",
        "Kleine Läden müssen schließen, während Online-Riesen wachsen. Viele Händler haben keinen eigenen Webshop.",
        "Einzelhandel, Innenstädte und Kundschaft",
        "Ein gemeinsamer lokaler Marktplatz mit Abholung und Lieferung.",
        GiverType.MUNICIPALITY,
        "Stadt Freiburg im Breisgau",
        "BW",
        ["Einzelhandel", "Innenstadt"],
    ),
    (
        "wirtschaft",
        "Kulturschaffende über die Krise bringen",
        "Konzerte und Theater fallen aus, freie Künstlerinnen und Künstler verlieren ihre Einnahmen.",
        "Freie Kulturschaffende und Veranstaltungsorte",
        "Neue Wege, Kultur digital zu zeigen und dafür fair bezahlt zu werden.",
        GiverType.NGO,
        "Kulturrat Musterland",
        "NW",
        ["Kultur", "Einkommen"],
    ),
    (
        "wirtschaft",
        "Lieferketten für Schutzausrüstung transparent machen",
        "Kliniken und Praxen wissen nicht, wo sie Masken und Schutzkleidung seriös bekommen. Betrüger nutzen die Lage aus.",
        "Kliniken, Arztpraxen und Pflegedienste",
        "Ein geprüftes Verzeichnis von Herstellern und Lieferanten mit Verfügbarkeiten.",
        GiverType.COMPANY,
        "Mittelstandsverbund Nord",
        "SH",
        ["Schutzausrüstung", "Lieferkette"],
    ),
    (
        "wirtschaft",
        "Landwirtschaft braucht Erntehelfer:innen",
        "Saisonarbeitskräfte können nicht einreisen, Spargel und Erdbeeren drohen auf den Feldern zu verderben.",
        "Landwirtschaftliche Betriebe und Arbeitsuchende",
        "Eine Vermittlung zwischen Höfen und Menschen, die kurzfristig bei der Ernte helfen wollen.",
        GiverType.OTHER_PUBLIC_BODY,
        "Landwirtschaftskammer Niedersachsen",
        "NI",
        ["Landwirtschaft", "Vermittlung"],
    ),
    (
        "information",
        "Corona-Regeln verständlich erklären",
        "Die Regeln ändern sich wöchentlich und unterscheiden sich je nach Landkreis. Kaum jemand weiß, was gerade gilt.",
        "Alle Bürgerinnen und Bürger",
        "Eine Übersicht, die für jeden Ort die aktuellen Regeln in einfacher Sprache zeigt.",
        GiverType.CITIZEN,
        "",
        "BY",
        ["Regeln", "Einfache Sprache"],
    ),
    (
        "information",
        "Falschnachrichten schnell erkennen",
        "In Messenger-Gruppen verbreiten sich Falschnachrichten über das Virus schneller als jede Richtigstellung.",
        "Nutzerinnen und Nutzer von Messengern, Faktenprüfer",
        "Ein Weg, verdächtige Nachrichten einfach prüfen zu lassen und Richtigstellungen zu teilen.",
        GiverType.NGO,
        "Correctiv-Leserschaft Initiative",
        "NW",
        ["Desinformation", "Messenger"],
    ),
    (
        "information",
        "Informationen in vielen Sprachen",
        "Offizielle Informationen gibt es meist nur auf Deutsch. Menschen mit anderen Erstsprachen erfahren wichtige Regeln zu spät.",
        "Menschen mit Migrationsgeschichte, Beratungsstellen",
        "Aktuelle Informationen in den wichtigsten Sprachen, geprüft und leicht zu teilen.",
        GiverType.MUNICIPALITY,
        "Integrationsbüro Stadt Offenbach",
        "HE",
        ["Mehrsprachigkeit", "Integration"],
    ),
    (
        "information",
        "Barrierefreie Informationen für gehörlose Menschen",
        "Pressekonferenzen werden selten gedolmetscht. Gehörlose Menschen sind von aktuellen Informationen ausgeschlossen.",
        "Gehörlose und schwerhörige Menschen",
        "Gebärdensprache und Untertitel für alle wichtigen Mitteilungen.",
        GiverType.NGO,
        "Deutscher Gehörlosen-Bund",
        "BE",
        ["Barrierefreiheit", "Gebärdensprache"],
    ),
    (
        "verwaltung",
        "Schulen und Gesundheitsämter vernetzen",
        "Bei einem Fall an einer Schule dauert es Tage, bis das Gesundheitsamt die Klassenlisten hat.",
        "Schulleitungen, Gesundheitsämter, Familien",
        "Ein sicherer, schneller Austausch zwischen Schulen und Gesundheitsämtern.",
        GiverType.STATE_GOVERNMENT,
        "Kultusministerium Thüringen",
        "TH",
        ["Schule", "Gesundheitsamt"],
    ),
    (
        "zusammenhalt",
        "Obdachlose Menschen in der Krise versorgen",
        "Notunterkünfte haben wegen Abstandsregeln weniger Plätze, Tagesstätten sind geschlossen.",
        "Wohnungslose Menschen und Hilfseinrichtungen",
        "Eine Übersicht über offene Angebote und freie Schlafplätze, aktuell und mobil abrufbar.",
        GiverType.NGO,
        "Stadtmission Hamburg",
        "HH",
        ["Wohnungslosigkeit", "Versorgung"],
    ),
    (
        "bildung",
        "Kitas brauchen digitale Elternkommunikation",
        "Kitas erreichen Eltern nur über Aushänge und Zettel. In der Krise ändern sich Betreuungsregeln täglich.",
        "Eltern, Erzieherinnen und Erzieher",
        "Eine datenschutzfreundliche App für Nachrichten zwischen Kita und Eltern.",
        GiverType.MUNICIPALITY,
        "Jugendamt Bremen",
        "HB",
        ["Kita", "Kommunikation"],
    ),
    (
        "gesundheit",
        "Arztpraxen per Videosprechstunde öffnen",
        "Viele Praxen haben keine Erfahrung mit Videosprechstunden. Patientinnen meiden Praxen aus Angst vor Ansteckung.",
        "Hausarztpraxen und chronisch kranke Menschen",
        "Ein leicht einzurichtendes Angebot für Videosprechstunden mit Anleitung.",
        GiverType.OTHER_PUBLIC_BODY,
        "Kassenärztliche Vereinigung Mecklenburg-Vorpommern",
        "MV",
        ["Telemedizin", "Praxis"],
    ),
    (
        "verwaltung",
        "Gemeinderat tagt digital",
        "Gemeinderäte dürfen nicht in Präsenz tagen, aber Beschlüsse müssen gefasst werden. Es fehlen rechtssichere digitale Sitzungen.",
        "Kommunalpolitikerinnen, Verwaltungen und Öffentlichkeit",
        "Ein Werkzeug für öffentliche, rechtssichere digitale Ratssitzungen mit Abstimmungen.",
        GiverType.MUNICIPALITY,
        "Gemeinde Musterdorf",
        "ST",
        ["Kommunalpolitik", "Beteiligung"],
    ),
]

# Indices into CHALLENGES whose curation is not finished in the demo.
IN_REVIEW = {27, 28}
SUBMITTED = {29}
DUPLICATE_TITLE = "Corona-Regeln für meinen Landkreis erklären"


def seed(*, context) -> None:
    event = context.events["current"]
    topics = {}
    for position, (slug, name, description) in enumerate(TOPICS):
        topics[slug], _ = Topic.objects.update_or_create(
            event=event,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
    giver = context.participants[0] if context.participants else None
    published_base = context.now - timedelta(days=10)
    challenges = []
    for index, row in enumerate(CHALLENGES):
        topic, title, problem, affected, outcome, giver_type, organisation, state, tags = row
        status = ChallengeStatus.PUBLISHED
        if index in IN_REVIEW:
            status = ChallengeStatus.IN_REVIEW
        elif index in SUBMITTED:
            status = ChallengeStatus.SUBMITTED
        challenge = _upsert(
            event=event,
            external_id=f"demo-{index + 1:02d}",
            status=status,
            topic=topics[topic],
            title=title,
            problem=problem,
            affected=affected,
            desired_outcome=outcome,
            giver_type=giver_type,
            organisation_name=organisation,
            state=state,
            contact_name="Demo-Kontakt",
            contact_email=f"challenge{index + 1:02d}@example.org",
            submitted_by=giver if index % 5 == 0 else None,
            published_at=published_base + timedelta(hours=index)
            if status == ChallengeStatus.PUBLISHED
            else None,
        )
        set_tags(challenge, tags)
        challenges.append(challenge)

    survivor = challenges[21]  # "Corona-Regeln verständlich erklären"
    duplicate = _upsert(
        event=event,
        external_id="demo-duplicate",
        status=ChallengeStatus.MERGED,
        topic=topics["information"],
        title=DUPLICATE_TITLE,
        problem="Jeder Landkreis hat eigene Corona-Regeln, und niemand blickt mehr durch, was gerade bei mir gilt.",
        affected="Bürgerinnen und Bürger",
        desired_outcome="Eine Seite, auf der ich meinen Ort eingebe und die Regeln verständlich sehe.",
        giver_type=GiverType.CITIZEN,
        organisation_name="",
        state="SL",
        contact_name="Demo-Kontakt",
        contact_email="duplicate@example.org",
        submitted_by=None,
        published_at=None,
        merged_into=survivor,
    )
    set_tags(duplicate, ["Regeln"])

    if context.users.get("organiser"):
        ChallengeOwner.objects.get_or_create(
            challenge=challenges[0], user=context.users["organiser"]
        )
    _seed_owners_and_questions(context=context, challenges=challenges)
    for offset, person in enumerate(context.participants):
        for challenge in challenges[offset : offset + 3 + offset % 4]:
            if challenge.status == ChallengeStatus.PUBLISHED:
                ChallengeSupport.objects.get_or_create(challenge=challenge, user=person)
    for challenge in challenges:
        Challenge.objects.filter(pk=challenge.pk).update(support_count=challenge.supports.count())
    context.extra["challenges"] = {"topics": topics, "challenges": challenges}
    published = sum(1 for c in challenges if c.status == ChallengeStatus.PUBLISHED)
    context.log(
        f"{len(topics)} topic fields, {published} published challenges, "
        f"{len(challenges) - published} in curation, 1 merged"
    )


# (question, answer or "") on the first published challenges, asked by demo participants.
DEMO_QUESTIONS = [
    (
        "Gibt es schon eine Schnittstelle, über die Kliniken ihre freien Betten melden?",
        "Ja, das DIVI-Intensivregister. Den Zugang für Teams klären wir gerade, "
        "bis dahin gibt es Beispieldaten im Team-Kanal.",
    ),
    (
        "Dürfen wir mit echten Telefonnummern von Hilfsangeboten testen?",
        "Bitte nur mit ausgedachten Nummern. Echte Kontaktdaten kommen erst im Pilotbetrieb dazu.",
    ),
    ("Wer entscheidet am Ende, ob eine Lösung in den Landkreisen eingesetzt wird?", ""),
]


def _seed_owners_and_questions(*, context, challenges: list[Challenge]) -> None:
    """A demo Pat:in looks after three challenges; some questions answered, one waiting."""
    published = [c for c in challenges if c.status == ChallengeStatus.PUBLISHED]
    if not published:
        return
    godparent = context.person(
        email="pate@example.org", display_name="Paula Pate", login_role="challenge owner (Pat:in)"
    )
    for challenge in published[:3]:
        ChallengeOwner.objects.get_or_create(challenge=challenge, user=godparent)
    askers = context.participants or [godparent]
    for index, (text, answer) in enumerate(DEMO_QUESTIONS):
        challenge = published[index % 3 if len(published) >= 3 else 0]
        question, _created = ChallengeQuestion.objects.get_or_create(
            challenge=challenge, text=text, defaults={"asked_by": askers[index % len(askers)]}
        )
        if answer and not question.answered_at:
            question.answer = answer
            question.answered_by = godparent
            question.answered_at = context.now
            question.save(update_fields=["answer", "answered_by", "answered_at"])


def _upsert(*, event, external_id: str, **fields) -> Challenge:
    challenge, _ = Challenge.objects.update_or_create(
        event=event, external_id=external_id, defaults=fields
    )
    challenge_assign_number(challenge)
    return challenge
