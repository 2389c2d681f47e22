"""The one exception that bad user input may raise, and its sentences by key.

An ``InputError`` carries a message key and the numbers (or user text) the
sentence needs: ``InputError("upload.row_length", row=3, count=3, first=2,
expected=2)``.  The core stays free of any UI: ``str(err)`` is the English
sentence from ``MESSAGES`` (for logs and tests), and the UI renders
``err.key`` with ``err.params`` in the reader's language (``ui/strings/errors.py``
holds the other languages' templates).

Templates are ``str.format`` strings with two additions, done by ``render``:

- ``{count:number|numbers}`` picks the first word when ``count`` is 1, the
  second otherwise: each language phrases its own plurals from the number
  (a Chinese template simply does not use it);
- a parameter that is a ``Term`` (a word such as "keys" or "commas") is a key
  in a language's term table, so a Chinese sentence never gets an English word.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping


class Term(str):
    """A word a message names ("keys", "block size", "commas"): looked up in the reader's language.

    A term without an entry (a symbol such as ``W_Q``) is shown as it is.
    """


class Quoted(tuple):
    """User characters or words a message lists: each language quotes and joins them its own way.

    A space is named by the term "space" (a blank between quotes is easy to miss).
    """


# The English sentence of every key.  Other languages: ui/strings/errors.py (same keys, "error." + key).
MESSAGES: dict[str, str] = {
    # --- numbers and shapes shared by many computations
    "number.not_whole": "{name} must be a whole number.",
    "number.positive_whole": "The {name} must be a whole number of at least 1.",
    "number.positive_whole_not": "The {name} must be a whole number of at least 1, not {value}.",
    "seed.negative": "The seed must be zero or a positive whole number.",
    "memory.over_budget": "{what} would need about {mb:,.0f} MB of memory; the limit is {limit} MB. "
    "Choose fewer tokens or dimensions.",
    "values.not_finite": "Row {row}, column {col} is {value}; every value must be a finite number.",
    "values.too_large": "Row {row}, column {col} is {value:g}; values must lie between -{limit:g} and {limit:g}.",
    "tensor.not_numbers": "The {name} must be an array of numbers.",
    "tensor.complex": "The {name} must hold real numbers, not complex ones.",
    "keys.table": "The keys must be a table: one row per token, one column per dimension.",
    "keys.values_count": "There {keys:is|are} {keys} {keys:key|keys} but {values} {values:value|values}; "
    "every key needs exactly one value.",
    "temperature.positive": "The temperature must be a positive number.",
    # --- scoring
    "score.unknown_method": "Unknown scoring method '{method}'; choose one of {choices}.",
    "score.query_scalar": "The query must be a vector of numbers, not a single number.",
    "score.query_length": "The query has {count} {count:number|numbers}, but each token has {d} "
    "{d:dimension|dimensions}; they must match.",
    "score.general_shape": "The 'general' score needs a {d}×{d} matrix W, got {shape}.",
    "score.additive_shape": "The 'additive' score needs W₁ and W₂ with {d} columns.",
    # --- masks
    "mask.positions": "The mask has {count} {count:position|positions} but there {n:is|are} {n} {n:token|tokens}.",
    "mask.shape": "The mask has shape {shape}, which does not fit scores of shape {scores}.",
    "mask.bool": "The mask must hold True/False values (True = may attend).",
    "mask.scalar": "The mask must list the positions that may be attended, not a single value.",
    "mask.keys": "The mask has {count} {count:position|positions} but there {n:is|are} {n} {n:token|tokens} "
    "to attend to.",
    "mask.rows": "The mask has {rows} {rows:row|rows} but there {m:is|are} {m} {m:query|queries}; "
    "it needs one row per query.",
    "mask.batch": "The mask does not fit {m} queries and {n} keys in a batch of shape {shape}.",
    "mask.blocks": "The mask has shape {shape}, which does not fit {m} queries × {n} keys.",
    # --- multi-head attention
    "heads.at_least_one": "There must be at least one head; got num_heads = {num_heads}.",
    "heads.d_model": "d_model must be at least 1; got {d_model}.",
    "heads.split": "{num_heads} heads cannot split d_model = {d_model} evenly; "
    "choose a d_model that is a multiple of {num_heads}.",
    "heads.d_in": "The token dimension d must be at least 1; got {d_in}.",
    "heads.torch_unsupported": "MultiheadAttention with add_bias_kv or add_zero_attn is not supported.",
    "weights.not_matrix": "{name} must be a matrix (2-D), but it has {ndim} {ndim:dimension|dimensions}.",
    "weights.rows": "{name} must have d_model = {d_model} rows like W_Q, but it has {rows}.",
    "weights.no_columns": "{name} must have at least one column.",
    "weights.w_o": "W_O must be {d_model}×{d_model} (d_model × d_model), got {rows}×{cols}.",
    "weights.bias": "The bias {name} must hold d_model = {d_model} numbers, got shape {shape}.",
    "tokens.table": "The {name} must be a table: one row per token, one column per dimension.",
    "tokens.empty": "The {name} must hold at least one token.",
    "tokens.dims": "Each token has {count} {count:dimension|dimensions}, but {w_name} expects {expected}; "
    "they must match.",
    "tokens.batches": "The batches of queries, keys and values have sizes that do not fit together.",
    # --- generated sequences
    "sequence.unknown_kind": "Unknown sequence kind '{kind}'; choose one of {choices}.",
    "sequence.n_range": "The number of tokens n must be between {min} and {max}; got {n}.",
    "sequence.d_range": "The dimension d must be between {min} and {max}; got {d}.",
    # --- typed queries and positions
    "queries.empty": "Type at least one query: d numbers separated by commas.",
    "queries.too_many": "At most {max} queries at once; you typed {count}.",
    "queries.too_long": "The query text is {count:,} characters long; the limit is {most:,}.",
    "queries.not_number": "'{text}' in query {query} is not a number.",
    "queries.not_finite": "Query {query} holds NaN or infinity; use finite numbers.",
    "queries.too_large": "Query {query} holds a number beyond ±{limit:g}; use smaller numbers.",
    "queries.length": "Query {query} has {count} {count:number|numbers}, but each token has d = {d} "
    "{d:dimension|dimensions}; give exactly {d}.",
    "positions.not_position": "'{text}' is not a position; write numbers like 2, 5-7.",
    "positions.outside": "Position {position} is outside 1…{n}.",
    "positions.too_long": "The positions are {count:,} characters long; the limit is {most:,}.",
    # --- uploaded tables
    "upload.unsupported": "'{name}' is not a supported file; use one of {choices}.",
    "upload.empty": "The file is empty.",
    "upload.too_big": "The file is {mb:.1f} MB; the limit is {limit} MB.",
    "upload.not_utf8": "The file is not UTF-8 text; save it as UTF-8 (or as .npy) and try again.",
    "upload.utf16": "The file is UTF-16 text, not UTF-8; save it as UTF-8 (or as .npy) and try again.",
    "upload.not_npy": "This is not a valid .npy file.",
    "upload.npy_objects": "This .npy file holds Python objects, which are never loaded for safety; "
    "save a plain numeric array instead.",
    "upload.npy_dtype": "The array holds {dtype} values; it must hold real numbers.",
    "upload.npz": "This is not a single .npy array (an .npz archive is not supported).",
    "upload.not_json": "The file is not valid JSON.",
    "upload.json_one_table": 'The JSON object must hold exactly one list of rows, e.g. {{"values": [[1, 2], [3, 4]]}}.',
    "upload.json_row": "Row {row} of the JSON is not a list of numbers.",
    "upload.json_cell": "Row {row}, column {col} of the JSON is {text}, not a number.",
    "upload.json_too_large": "A number in the JSON is too large.",
    "upload.json_digits": "A number in the JSON has too many digits.",
    "upload.json_empty": "The JSON must be a non-empty list of rows, e.g. [[1, 2], [3, 4]].",
    "upload.json_labels": "There {labels:is|are} {labels} {labels:label|labels} but {rows} {rows:row|rows}; "
    "give one label per row.",
    "upload.json_containers": "The JSON holds {count:,} lists or objects; the limit is {max} rows, one list each.",
    "upload.json_values": "The JSON holds over {most:,} values; the limit is {rows} rows of {cols} numbers.",
    "upload.json_list": "A list in the JSON holds over {most:,} values; a row holds at most {cols} numbers "
    "and the labels at most {rows}.",
    "upload.no_rows": "The file has no rows of numbers.",
    "upload.header_mixed": "Line 1 mixes numbers and text ('{text}'); a header row must hold only column names.",
    "upload.header_only": "The file has a header row but no rows of numbers.",
    "upload.cell_not_number": "Line {line}, column {col} is '{text}', which is not a number.",
    "upload.cell_too_long": "The file could not be read as a table: a cell is far too long.",
    "upload.mixed_separators": "Line {line} mixes {first} and {second} ('{text}'); use one separator throughout the file.",
    "upload.over_rows": "The file has over {max} rows (tokens); the limit is {max}.",
    "upload.over_cols": "The file has over {max} columns (dimensions); the limit is {max}.",
    "upload.first_row_empty": "The first row has no numbers.",
    "upload.row_length": "Row {row} has {count} {count:number|numbers} but row {first} has {expected}; "
    "every row needs the same number of values.",
    "upload.dimensions": "The data has {ndim} {ndim:dimension|dimensions}; it must be a 2-D table "
    "(one row per token, one column per feature).",
    "upload.table_empty": "The table is empty.",
    "upload.rows": "The file has {n} rows (tokens); the limit is {max}.",
    "upload.cols": "The file has {d} columns (dimensions); the limit is {max}.",
    "upload.too_few_cols": "The file has {d} {d:column|columns} of numbers; attention needs at least {min} "
    "dimensions per token.",
    # --- steering the query
    "steer.cosine_zero_query": "With cosine scoring the query q = 0 points nowhere, so no direction raises a weight; "
    "give q any non-zero value first.",
    "steer.token_not_whole": "Pick the token to steer towards by its position, a whole number.",
    "steer.no_token": "There is no token {token}: pick one from 1 to {n}.",
    "steer.token_masked": "Token {token} is masked: its weight is 0 wherever q moves; unmask it to steer to it.",
    "steer.step_size": "The step size must be a positive number.",
    "steer.one_query": "Steering moves one query: give q as one vector of numbers.",
    "steer.query_length": "The query has {count} numbers, but each token has {d}; they must match.",
    "steer.no_tokens": "There are no tokens to steer towards.",
    "projection.not_finite": "The keys must be finite numbers to be projected.",
    # --- efficient attention
    "efficient.tables": "The queries, keys and values must each be a table: one row per token.",
    "efficient.dims": "The queries have {q} dimensions but the keys {k}; they must match.",
    "efficient.no_scores": "There must be at least one score.",
    "efficient.window": "The window must be 0 or more, not {window}.",
    "efficient.unknown_feature_map": "Unknown feature map '{name}'; choose one of {choices}.",
    # --- attention statistics of a model
    "statistics.shape": "Expected attention weights of shape [layers, heads, n, n], got {shape}.",
    "statistics.token_count": "There {tokens:is|are} {tokens} {tokens:token|tokens} but the attention covers "
    "{n} {n:position|positions}.",
    # --- images
    "image.too_many_pixels_claimed": "The image claims {millions:,.0f} million pixels; the limit is {limit:.0f} "
    "million pixels.",
    "image.too_many_pixels_over": "The image claims more than {limit:.0f} million pixels; the limit is {limit:.0f} "
    "million pixels.",
    "image.unreadable": "The file is not an image that can be read; upload a PNG or JPEG picture.",
    "image.damaged": "The image could not be decoded; the file may be truncated or damaged.",
    "image.format": "{format} images are not supported; upload a PNG or JPEG picture.",
    "image.format_unknown": "This image format is not supported; upload a PNG or JPEG picture.",
    "image.too_many_pixels": "The image claims {width} × {height} pixels; the limit is {limit:.0f} million pixels.",
    "image.too_small": "The image is {width} × {height} pixels; it must be at least {min} × {min}.",
    "image.too_thin": "The image is {width} × {height} pixels, so thin that shrunk to fit {side} × {side} it would be "
    "{shown_width} × {shown_height}; its short side must stay at least {min} pixels.",
    "image.region_size": "The region size must be at least 1 pixel; got {patch}.",
    "image.regions_dont_fit": "Regions of {patch} px do not fit in a {width} × {height} image; choose smaller regions.",
    "image.unknown_features": "Unknown region features '{kind}'; choose one of {choices}.",
    "image.grid_mismatch": "The grid has {rows} × {cols} regions but there are {count} feature vectors.",
    "image.model_files": "The image model's files could not be read ({file}); run python -m training.train_image_model.",
    # --- the seq2seq model and its toy tasks
    "seq2seq.unknown_task": "Unknown task '{task}'; choose one of {choices}.",
    "seq2seq.unknown_scoring": "Unknown scoring '{scoring}'; choose one of {choices} or none.",
    "seq2seq.lengths": "The input lengths must satisfy 1 ≤ shortest ≤ longest ≤ {max}.",
    "seq2seq.hidden": "The hidden size must be an even number from 4 to {max}.",
    "seq2seq.steps": "The number of training steps must be from 1 to {max}.",
    "task.empty": "Type an input first: the box is empty.",
    "task.date_format": 'Write the date as day, month, year, like "23 Nov 2026".',
    "task.letters_only": "This task only knows the letters a–z; remove {shown}.",
    "task.too_long": "The input has {count} letters, but the model was trained on at most {max}; shorten it.",
    "task.not_month": '"{month}" is not a month; use Jan, Feb, … Dec.',
    "task.year_range": "The model knows the years {first}–{last}; {year} is outside them.",
    "task.no_such_day": "{month} {year} has no day {day}: that date does not exist.",
    # --- pretrained models and their text
    "model.hub_failed": "Could not load '{source}' from the Hugging Face hub: "
    "this server cannot reach it or the id does not exist.",
    "model.hub_unreachable": "Could not load '{source}' from the Hugging Face hub: this server cannot reach the hub.",
    "model.not_safetensors": "'{source}' has no safetensors weights; this server loads only safetensors models "
    "from the hub.",
    "model.too_big": "'{source}' needs {mb:,.0f} MB; this server loads hub models of up to {max_mb:,.0f} MB.",
    "model.empty_name": "Type a model name, for example 'bert-base-uncased'.",
    "model.no_folder": "There is no model folder at '{source}'.",
    "model.folder_incomplete": "Could not load a model from the folder '{source}': it needs config.json, "
    "the weights and the tokenizer files.",
    "model.encoder_decoder": "'{name}' is an encoder–decoder model; this page shows encoder models such as BERT.",
    "model.no_attentions": "'{name}' does not report its attention weights.",
    "model.not_bert": "Recomputing attention by hand works for BERT-style models; '{name}' is built differently.",
    "model.layer_range": "Choose a layer from 0 to {last}.",
    "text.empty": "Type a sentence first: the text is empty.",
    "text.too_many_chars": "The text has {count} characters; at most {max_chars} are accepted "
    "(and at most {max_tokens} tokens).",
    "text.too_many_tokens": "The text has {count} tokens, but at most {max} are allowed (special tokens included); "
    "please shorten it.",
    "text.no_words": "The text has no words the model can read; type a sentence.",
    # --- speech: audio files and Whisper's languages
    "audio.empty": "The file is empty: there is no audio in it.",
    "audio.too_big": "The file is {mb:,.0f} MB; the limit is {limit} MB (30 s of audio).",
    "audio.rate_channels": "The file says {rate:,} samples a second and {channels} channels; this page reads "
    "{min_rate:,}–{max_rate:,} samples a second and 1–{max_channels} channels.",
    "audio.unreadable": "This is not an audio file this page can read (WAV, FLAC, OGG or MP3).",
    "audio.no_samples": "The file holds no samples: there is no audio in it.",
    "audio.not_finite": "The file holds samples that are not numbers (NaN or infinity); it cannot be played.",
    "audio.silent": "The clip is silent: there is no sound in it to turn into words.",
    "audio.unknown_language": "'{language}' is not one of Whisper's languages.",
    # --- where the live class's rooms live (classroom/open_store.py: the server's settings, said to the teacher)
    "rooms.bad_url": "The live-class store {url} is not one this server can use; set it to one of {forms}.",
    "rooms.unreachable": "The live-class store {url} cannot be reached or written; the live class waits until it can.",
    "rooms.idle_s": "The rooms' idle time {name} must be a number of seconds above 0, not {value}.",
}

# The English word of every Term a message may name.  Other languages: ui/strings/errors.py ("error.term." + term).
TERMS: dict[str, str] = {
    "query": "query",
    "keys": "keys",
    "values": "values",
    "scores": "scores",
    "weights": "weights",
    "attentions": "attentions",
    "tokens": "tokens",
    "input": "input",
    "n": "n",
    "d": "d",
    "seed": "seed",
    "the_seed": "The seed",
    "num_heads": "The number of heads",
    "d_model": "d_model",
    "d_in": "The token dimension d",
    "block_size": "block size",
    "query_block_size": "query block size",
    "num_features": "number of features",
    "additive_gradients": "The additive score with gradients",
    "tabs": "tabs",
    "semicolons": "semicolons",
    "commas": "commas",
    "spaces": "spaces",
    "space": "the space",
}


class _Formatter(string.Formatter):
    """``str.format`` plus ``{n:one|many}``: the word for n = 1, or for any other n."""

    def format_field(self, value, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def listed(items: Quoted, term: Callable[[str], str | None] = TERMS.get, quotes: str = '""', comma: str = ", ") -> str:
    """``items`` each in ``quotes`` (a space by its term), joined by ``comma``: '"$", "*"', or in Chinese '“$”、“*”'."""
    return comma.join((term("space") or " ") if item == " " else f"{quotes[0]}{item}{quotes[1]}" for item in items)


def render(template: str, params: Mapping, term: Callable[[str], str | None] = TERMS.get, listing=None) -> str:
    """``template`` filled with ``params``: a ``Term`` becomes ``term(word)`` (or the word), a ``Quoted`` ``listing(items)``."""
    listing = listing or (lambda items: listed(items, term))

    def said(value):
        if isinstance(value, Term):
            return term(value) or value
        return listing(value) if isinstance(value, Quoted) else value

    return _FORMATTER.format(template, **{name: said(value) for name, value in params.items()})


class InputError(ValueError):
    """Bad user input: a message key and its parameters; ``str()`` is one English sentence a student understands.

    Pages catch exactly this and show it in the reader's language
    (``ui.feedback.error_text``); anything else that escapes is a bug in our
    code, not in the user's input.  A text that is not a key (a sentence the
    UI already translated) is kept as the message itself, with ``key`` None.
    """

    def __init__(self, key: str, **params):
        self.key = key if isinstance(key, str) and key in MESSAGES else None
        self.params = params
        super().__init__(render(MESSAGES[key], params) if self.key else key)

    def __reduce__(self):  # copy and pickle rebuild it from its key and parameters, not from the English text
        return _rebuild, (self.key or str(self), self.params)


def _rebuild(key: str, params: dict) -> InputError:
    return InputError(key, **params)


def clip(text: str, limit: int = 40) -> str:
    """User text cut to ``limit`` characters (with …) so a message stays one short sentence."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
