"""Fingerprints: the normalized-text hash and the MinHash signature (stored with every
article, so their values must never change silently)."""

from __future__ import annotations

import hashlib
import random
import unicodedata

import pytest

from extractors import fingerprint as fp
from extractors.fingerprint import content_hash, lsh_buckets, minhash_signature, title_key


def _reference_normalize(text: str) -> str:
    """The original (slower) definition: NFKD, drop combining marks one by one."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return fp._NON_WORD.sub(" ", folded).strip()


@pytest.mark.parametrize(
    "text",
    [
        "Balacera en Ciudad Juárez deja tres muertos; la Fiscalía investiga.",
        "ÅNGSTRÖM ﬁnal ① ａｂｃ — Ελληνικά, हिंदी, 𝄞 and e\u0301 (a decomposed é)",
        "Plain ASCII: Border Patrol agents seized 40 lb of fentanyl near Nogales.",
        "",
    ],
)
def test_normalize_text_matches_the_reference_definition(text: str) -> None:
    assert fp.normalize_text(text) == _reference_normalize(text)


def test_normalize_and_hash_ignore_case_accents_and_layout() -> None:
    a = "Ataque en  Culiacán:\nseis MUERTOS."
    b = "ataque en culiacan — seis muertos"
    assert fp.normalize_text(a) == fp.normalize_text(b) == "ataque en culiacan seis muertos"
    assert fp.content_hash(a) == fp.content_hash(b)
    assert fp.content_hash(a) == fp.content_hash(a, normalized=fp.normalize_text(a))
    assert fp.content_hash(a) != fp.content_hash("Ataque en Culiacán: siete muertos.")


def _texts(n: int) -> list[str]:
    rng = random.Random(7)
    words = [
        "el",
        "la",
        "cartel",
        "ataque",
        "Reynosa",
        "policía",
        "the",
        "attack",
        "border",
        "agents",
        "fentanilo",
        "CJNG",
        "Tamaulipas",
        "gobernador",
        "Sinaloa",
        "Juárez",
        "balacera",
        "detenidos",
    ]
    return [
        " ".join(rng.choice(words) + str(rng.randint(0, 40)) for _ in range(rng.randint(6, 600)))
        for _ in range(n)
    ]


def test_minhash_signature_equals_datasketch() -> None:
    """Own numpy MinHash (datasketch pulls scipy into every worker) must give the very
    signatures datasketch 2's MinHash(num_perm=128, seed=1) gives: stored signatures and LSH
    buckets from either must keep matching."""
    datasketch = pytest.importorskip("datasketch")
    checked = 0
    for text in _texts(120):
        sh = fp.shingles(text)
        mine = fp.minhash_signature(text)
        assert mine is not None and len(mine) == 4 * fp.NUM_PERM
        m = datasketch.MinHash(num_perm=fp.NUM_PERM, seed=1)
        m.update_batch(list(sh))
        assert mine == bytes(m.hashvalues.astype("<u4").tobytes())
        checked += 1
    assert checked == 120


def test_minhash_estimates_similarity() -> None:
    base = _texts(1)[0]
    words = base.split()
    near = " ".join(words[:-3] + ["otro", "final", "distinto"])
    other = _texts(2)[1]
    s_base, s_near, s_other = (fp.minhash_signature(t) for t in (base, near, other))
    assert s_base and s_near and s_other
    assert fp.estimate_jaccard(s_base, s_near) > 0.8
    assert fp.estimate_jaccard(s_base, s_other) < 0.3
    assert fp.minhash_signature("muy corto") is None
    # the same story gives the same LSH buckets; a different one shares (almost) none
    assert fp.lsh_buckets(s_base) == fp.lsh_buckets(fp.minhash_signature(base) or b"")
    assert len(set(fp.lsh_buckets(s_base)) & set(fp.lsh_buckets(s_other))) <= 1


# These values are stored in databases (articles.content_hash, the LSH bucket rows): a change
# of normalization, hashing, permutations or banding silently breaks dedup against every
# stored article, so they are pinned for a fixed input.
PINNED = (
    "Hombres armados atacaron una patrulla de la policía municipal en Culiacán, Sinaloa; "
    "dos agentes murieron y uno resultó herido."
)


def test_content_hash_is_pinned() -> None:
    assert content_hash(PINNED) == (
        "185ba494791aca5f08883c7e2bbd2cb2f55a8aa37b0d1c442ca54097ebc1100a"
    )


def test_minhash_and_lsh_buckets_are_pinned() -> None:
    sig = minhash_signature(PINNED)
    assert sig is not None
    assert hashlib.sha256(sig).hexdigest() == (
        "c0db68d9c9244eaee460de35da82955d6feaf7c631a8bfc3a700676388edfdfc"
    )
    assert lsh_buckets(sig) == [
        -6025847503904336326,
        -1963919698860299297,
        7787596941094878794,
        8583595075478914886,
        5733919631852877508,
        -7512296474756751816,
        576926136779985481,
        8549378046085779621,
        2538723467647433690,
        -3304436018267169395,
        -82337720207284054,
        2148751891939027350,
        4411396260517736209,
        -5356419884378945914,
        9162214156784772477,
        -846371499637302834,
        3291096417113801786,
        -5240718807527196377,
        -8103219452436879517,
        -471211772344220899,
    ]
    assert title_key("  Ataque en Culiacán: dos policías muertos ") == (
        "ataque en culiacan dos policias muertos"
    )
