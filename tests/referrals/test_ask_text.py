from strategists.referrals.ask import fold, guess_language, is_safe_term, normalize, stem, tokenize


def test_fold_strips_accents_and_case():
    assert fold("Québec ÉLECTRONIQUE Año straße") == "quebec electronique ano strasse"


def test_tokenize_keeps_ascii_words_and_joins_contractions():
    assert tokenize("Can't pay $0 — WordPress 24/7, «grève»!") == [
        "cant",
        "pay",
        "0",
        "wordpress",
        "24",
        "7",
        "greve",
    ]
    assert tokenize("日本語 text 🙂") == ["text"]
    assert normalize("  Peer-to-Peer   SMS ") == "peer to peer sms"


def test_stem_families_meet():
    assert {stem(w) for w in ("organizing", "organize", "organizer", "organization")} == {"organiz"}
    assert {stem(w) for w in ("vote", "votes", "voting", "voted")} == {"vote"}
    assert {stem(w) for w in ("texts", "texting", "texted")} == {"text"}
    assert {stem(w) for w in ("trabajadores", "trabajador")} == {"trabajador"}
    assert {stem(w) for w in ("accessibility", "accessible")} == {"accessibl"}
    assert stem("sms") == "sms"
    assert stem("2009") == "2009"


def test_guess_language():
    assert guess_language("how do we text our members") == "en"
    assert guess_language("¿Cómo mandar mensajes a los trabajadores?") == "es"
    assert guess_language("Quelle compagnie peut envoyer des textos à nos membres?") == "fr"
    assert guess_language("") == "en"


def test_is_safe_term():
    assert [is_safe_term(t) for t in ("sms", "10dlc", "NEAR", 'a"b', "", "é", "a b")] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
