"""Semi-synthetic biographies with high-entropy facts and an exactly known information content.

``N`` individuals with unique random-syllable names; each has ``A`` attributes, attribute ``a`` taking a
value drawn uniformly and independently from its own set of ``K_a`` values, so the facts of one
individual carry exactly ``H = Σ_a log2 K_a`` bits (``docs/theory/lm_facts.md``, "Data"). A training
example is one templated sentence, e.g. ``"Mira Okafor was born in Tallinn ."``: an individual drawn by
frequency (uniform or Zipf over individuals), an attribute and one of its templates drawn uniformly. The
word-level vocabulary is built from the generated data; nothing is downloaded.

Every distinct sentence ``(individual, attribute, template)`` is tokenized once into a table; training
streams index that table, so pruning an example is masking a row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.core.checks import check_int, check_number
from ..facts.datasets import zipf_probs

__all__ = ["ATTRIBUTES", "BiographyData", "Vocabulary", "make_biographies", "syllable_words"]

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"

_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

#: Attribute name -> templates; ``{name}`` is the individual, ``{value}`` the value (always followed by
#: the final ``.``, so the prompt of a fact is the template up to ``{value}``).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "birth_city": ("{name} was born in {value} .", "{name} came into the world in {value} .",
                   "the birthplace of {name} is {value} ."),
    "university": ("{name} studied at {value} .", "{name} graduated from {value} .",
                   "{name} received a degree from {value} ."),
    "employer": ("{name} works for {value} .", "{name} is employed by {value} .",
                 "the employer of {name} is {value} ."),
    "field": ("{name} specialized in {value} .", "{name} majored in {value} .",
              "the field of {name} is {value} ."),
    "birth_date": ("{name} was born on {value} .", "{name} celebrates a birthday on {value} .",
                   "the birthday of {name} is {value} ."),
}


def syllable_words(n: int, rng: np.random.Generator, syllables: int, exclude: set[str] = frozenset()) -> list[str]:
    """``n`` distinct capitalised words of ``syllables`` consonant–vowel syllables, none in ``exclude``.

    Raises
    ------
    ValueError
        If ``n`` exceeds the number of such words (``75**syllables`` minus the excluded ones).
    """
    n = check_int("n", n, lo=0)
    space = (len(_CONSONANTS) * len(_VOWELS)) ** syllables
    if n > space - len(exclude):
        raise ValueError(f"n must be <= {space - len(exclude)} for {syllables} syllables, got {n}")
    words: list[str] = []
    seen = set(exclude)
    while len(words) < n:
        cons = rng.integers(0, len(_CONSONANTS), size=(2 * n, syllables))
        vows = rng.integers(0, len(_VOWELS), size=(2 * n, syllables))
        for c, v in zip(cons, vows):
            w = "".join(_CONSONANTS[i] + _VOWELS[j] for i, j in zip(c, v)).capitalize()
            if w not in seen:
                seen.add(w)
                words.append(w)
                if len(words) == n:
                    break
    return words


class Vocabulary:
    """Word-level tokenizer over a fixed word list (special tokens first: pad 0, bos 1, eos 2).

    Parameters
    ----------
    words : iterable of str
        The words; duplicates and the special tokens are dropped, the rest sorted.

    Attributes
    ----------
    words : tuple of str
        Token strings by id.
    index : dict
        Token id of each word.

    Examples
    --------
    >>> v = Vocabulary(["dog", "cat"])
    >>> len(v), v.encode("dog cat"), v.decode([1, 3, 2])
    (5, [4, 3], '<bos> cat <eos>')

    See docs/theory/lm_facts.md, section "Data".
    """

    def __init__(self, words):
        self.words: tuple[str, ...] = (PAD, BOS, EOS) + tuple(sorted(set(words) - {PAD, BOS, EOS}))
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):  # pragma: no cover - guarded by the set above
            raise ValueError("words must be distinct")

    def __len__(self) -> int:
        return len(self.words)

    @property
    def pad(self) -> int:
        return 0

    @property
    def bos(self) -> int:
        return 1

    @property
    def eos(self) -> int:
        return 2

    def encode(self, text: str) -> list[int]:
        """Token ids of a space-separated text (unknown words raise ``ValueError``)."""
        try:
            return [self.index[w] for w in text.split()]
        except KeyError as exc:
            raise ValueError(f"text contains a word outside the vocabulary: {exc.args[0]!r}") from None

    def decode(self, ids) -> str:
        return " ".join(self.words[int(i)] for i in ids)


@dataclass(frozen=True)
class BiographyData:
    """One biography data set and its sentence table, as made by :func:`make_biographies`.

    Attributes
    ----------
    names : tuple of str
        ``N`` unique full names (``"First Last"``).
    attributes : tuple of str
        The ``A`` attribute names (keys of :data:`ATTRIBUTES`).
    n_values : tuple of int
        ``K_a`` per attribute.
    value_words : tuple of tuple of str
        Per attribute, the ``K_a`` value strings (a value may span several words).
    values : ndarray, shape (N, A), int64
        Value index of every (individual, attribute), uniform over ``K_a``.
    probs : ndarray, shape (N,)
        Frequency of each individual (sums to 1).
    zipf : float
        Exponent of ``probs`` (0: uniform).
    vocab : Vocabulary
        The tokenizer of every sentence.
    tokens : ndarray, shape (S, L), int64
        Every distinct sentence ``<bos> ... <eos>``, padded with ``<pad>``; ``S = N·A·T``.
    individual, attribute, template : ndarray, shape (S,), int64
        What each row is.
    value_start, value_len : ndarray, shape (S,), int64
        Position of the first value token in the row and the number of value tokens.
    name_start : ndarray, shape (S,), int64
        Position of the first of the two name tokens.
    sentence_probs : ndarray, shape (S,)
        Sampling frequency of each row: ``q_i / (A·T)``.

    Examples
    --------
    >>> b = make_biographies(4, n_values=(4, 8), attributes=("birth_city", "university"), seed=0)
    >>> b.n_facts, b.entropy_bits, b.tokens.shape[0] == b.n_facts * b.n_templates
    (8, 5.0, True)

    See docs/theory/lm_facts.md, section "Data".
    """

    names: tuple
    attributes: tuple
    n_values: tuple
    value_words: tuple
    values: np.ndarray
    probs: np.ndarray
    zipf: float
    vocab: Vocabulary
    tokens: np.ndarray
    individual: np.ndarray
    attribute: np.ndarray
    template: np.ndarray
    value_start: np.ndarray
    value_len: np.ndarray
    name_start: np.ndarray
    sentence_probs: np.ndarray

    @property
    def n_individuals(self) -> int:
        return len(self.names)

    @property
    def n_attributes(self) -> int:
        return len(self.attributes)

    @property
    def n_facts(self) -> int:
        """Number of (individual, attribute) facts ``N·A``."""
        return self.n_individuals * self.n_attributes

    @property
    def n_templates(self) -> int:
        return int(self.template.max()) + 1

    @property
    def bits_per_attribute(self) -> np.ndarray:
        """``log2 K_a`` for each attribute."""
        return np.log2(np.asarray(self.n_values, dtype=np.float64))

    @property
    def entropy_bits(self) -> float:
        """``H = Σ_a log2 K_a``: bits of one individual's facts (exact, values are uniform)."""
        return float(sum(math.log2(k) for k in self.n_values))

    def prompt(self, individual: int, attribute: int, template: int = 0) -> str:
        """The template prefix of a fact, e.g. ``"<bos> Mira Okafor was born in"``."""
        text = ATTRIBUTES[self.attributes[attribute]][template]
        return f"{BOS} " + text.split("{value}")[0].format(name=self.names[individual]).strip()

    def value_text(self, individual: int, attribute: int) -> str:
        return self.value_words[attribute][self.values[individual, attribute]]


def _value_sets(attributes, n_values, rng, taken: set[str]) -> list[list[str]]:
    sets = []
    for name, k in zip(attributes, n_values):
        if name == "birth_date":
            if k > 12 * 28:
                raise ValueError(f"n_values for birth_date must be <= {12 * 28}, got {k}")
            pairs = rng.permutation(12 * 28)[:k]
            sets.append([f"{_MONTHS[p // 28]} {p % 28 + 1}" for p in pairs])
        else:
            words = syllable_words(k, rng, 3, taken)
            taken.update(words)
            sets.append(words)
    return sets


def make_biographies(n_individuals: int, n_values=(64, 64, 64, 64),
                     attributes=("birth_city", "university", "employer", "field"), zipf: float = 0.0,
                     seed: int = 0, name_pool: int | None = None) -> BiographyData:
    """Generate biographies of ``N`` individuals.

    Parameters
    ----------
    n_individuals : int
        ``N >= 1``.
    n_values : sequence of int
        ``K_a >= 2`` for each attribute (``birth_date`` at most 336 month–day pairs).
    attributes : sequence of str
        Attribute names from :data:`ATTRIBUTES`, distinct.
    zipf : float
        Exponent ``s >= 0`` of the frequencies over individuals (individual ``i`` has rank ``i+1``).
    seed : int
        Seed of the NumPy generator (names, value sets, values).
    name_pool : int, optional
        Size the first- and last-name pools for ``max(N, name_pool)`` individuals, so that a sweep over
        ``N`` keeps one vocabulary size (hence one parameter count).

    Returns
    -------
    BiographyData
        Names, values and the tokenized sentence table.

    Examples
    --------
    >>> b = make_biographies(4, n_values=(4, 8), attributes=("birth_city", "university"), seed=0)
    >>> b.prompt(0, 0), b.value_text(0, 0)
    ('<bos> Mohu Pononu was born in', 'Lazuti')
    >>> b.tokens.shape, len(b.vocab)
    ((24, 11), 37)

    See docs/theory/lm_facts.md, section "Data".
    """
    n = check_int("n_individuals", n_individuals, lo=1)
    attributes = tuple(attributes)
    if not attributes or len(set(attributes)) != len(attributes):
        raise ValueError(f"attributes must be distinct names from {sorted(ATTRIBUTES)}, got {attributes}")
    for a in attributes:
        if a not in ATTRIBUTES:
            raise ValueError(f"unknown attribute {a!r}; allowed: {sorted(ATTRIBUTES)}")
    ks = tuple(check_int("n_values", k, lo=2) for k in n_values)
    if len(ks) != len(attributes):
        raise ValueError(f"n_values must have one entry per attribute ({len(attributes)}), got {len(ks)}")
    s = check_number("zipf", zipf, lo=0.0)
    rng = np.random.default_rng(check_int("seed", seed, lo=0))

    # first x last name pools just large enough for N distinct pairs drawn without replacement
    pool = max(n, check_int("name_pool", name_pool, lo=1) if name_pool is not None else 1)
    n_first = max(2, math.isqrt(pool - 1) + 1)
    n_last = max(2, -(-pool // n_first))
    first = syllable_words(n_first, rng, 2)
    last = syllable_words(n_last, rng, 3, set(first))
    pairs = rng.permutation(n_first * n_last)[:n]
    names = tuple(f"{first[p // n_last]} {last[p % n_last]}" for p in pairs)
    value_words = _value_sets(attributes, ks, rng, set(first) | set(last))
    values = np.stack([rng.integers(0, k, size=n) for k in ks], axis=1).astype(np.int64)

    template_words = {w for a in attributes for t in ATTRIBUTES[a] for w in t.split() if "{" not in w}
    vocab = Vocabulary(set(first) | set(last) | template_words
                       | {w for vs in value_words for v in vs for w in v.split()})
    rows, ind, att, tpl, vstart, vlen, nstart = [], [], [], [], [], [], []
    for i, name in enumerate(names):
        for a, attr in enumerate(attributes):
            value = value_words[a][values[i, a]]
            for t, text in enumerate(ATTRIBUTES[attr]):
                before, after = text.split("{value}")
                pre = [vocab.bos] + vocab.encode(before.format(name=name))
                val = vocab.encode(value)
                rows.append(pre + val + vocab.encode(after) + [vocab.eos])
                ind.append(i)
                att.append(a)
                tpl.append(t)
                vstart.append(len(pre))
                vlen.append(len(val))
                nstart.append(1 + before.split().index("{name}"))
    length = max(len(r) for r in rows)
    tokens = np.full((len(rows), length), vocab.pad, dtype=np.int64)
    for j, r in enumerate(rows):
        tokens[j, :len(r)] = r
    probs = zipf_probs(n, s)
    ind = np.asarray(ind, dtype=np.int64)
    n_tpl = np.array([len(ATTRIBUTES[a]) for a in attributes])
    att = np.asarray(att, dtype=np.int64)
    sentence_probs = probs[ind] / (len(attributes) * n_tpl[att])
    return BiographyData(
        names=names, attributes=attributes, n_values=ks, value_words=tuple(tuple(v) for v in value_words),
        values=values, probs=probs, zipf=s, vocab=vocab, tokens=tokens, individual=ind, attribute=att,
        template=np.asarray(tpl, dtype=np.int64), value_start=np.asarray(vstart, dtype=np.int64),
        value_len=np.asarray(vlen, dtype=np.int64), name_start=np.asarray(nstart, dtype=np.int64),
        sentence_probs=sentence_probs)
