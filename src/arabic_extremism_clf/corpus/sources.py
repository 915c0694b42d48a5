"""The shared data directory and its corpora's sources.

Where the directory is, which corpus folders it holds, and where each corpus comes
from (source, citation, licence).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..errors import DataDirError

#: Environment variable naming the directory of the shared public corpora.
DATA_DIR_ENV = "AECLF_DATA_DIR"

#: The sub-folders of the shared data directory that the loaders read.
CORPUS_FOLDERS = (
    "alfifi-isis-2000",
    "saudinewsnet",
    "asnd",
    "osact2020",
    "osact2022",
    "l-hsab",
    "dangerous-speech",
    "hatecheck-ar",
    "religious-hate-aref2020",
)


@dataclass(frozen=True)
class CorpusSource:
    """Where one shared corpus comes from and on which terms it may be used.

    Attributes
    ----------
    title : str
        What the corpus is, in a few words.
    url : str
        The repository the files were copied from.
    citation : str
        The publication to cite.
    licence : str
        The licence or terms, as the corpus' source states them; says plainly when
        use is restricted to research or when no licence is stated.
    """

    title: str
    url: str
    citation: str
    licence: str


#: Source, citation and licence of every corpus folder (keys: :data:`CORPUS_FOLDERS`), as
#: the shared data directory's README and each folder's SOURCE.txt give them. The model
#: card looks training files up here by the folder recorded in their fingerprint.
CORPUS_SOURCES: Mapping[str, CorpusSource] = MappingProxyType(
    {
        "alfifi-isis-2000": CorpusSource(
            title="Alfifi et al.: 2015 Arabic tweets of pro-ISIS accounts and other tweets",
            url="https://github.com/majidalfifi/extremism-llm",
            citation=(
                "Alfifi, Kaghazgaran, Caverlee. Extremism Detection and Counter-Messaging with "
                "Large Language Models. ASONAM"
            ),
            licence=(
                "None declared: research use only; redistribution status unclear (the tweets "
                "come from the 2015 Arabic Twitter firehose)"
            ),
        ),
        "saudinewsnet": CorpusSource(
            title="SaudiNewsNet: Saudi newspaper articles, July-August 2015",
            url="https://github.com/parallelfold/SaudiNewsNet",
            citation="Alhagri, M. A. (2015). Saudi Newspapers Arabic Corpus (SaudiNewsNet)",
            licence=(
                "CC BY-NC-SA 4.0 (non-commercial, share-alike); article copyright stays with "
                "the newspapers; research use only"
            ),
        ),
        "asnd": CorpusSource(
            title="ASND: Al Jazeera and other outlets' social-media news posts",
            url="https://github.com/shammur/Arabic_news_text_classification_datasets",
            citation=(
                "Chowdhury, Abdelali, Darwish, Jung, Salminen, Jansen (2020). Improving Arabic "
                "Text Categorization Using Transformer Training Diversification. WANLP 2020"
            ),
            licence="CC BY 4.0 per the Masader catalogue; the repository itself states no licence",
        ),
        "osact2020": CorpusSource(
            title="OSACT 2020 shared task: offensive language and hate speech tweets",
            url="https://github.com/motazsaad/arabic-hatespeech-data",
            citation=(
                "Mubarak, Darwish, Magdy, Elsayed, Al-Khalifa (2020). Overview of OSACT4 Arabic "
                "Offensive Language Detection Shared Task. OSACT4 (LREC 2020)"
            ),
            licence=(
                "CC BY 4.0 per the Masader catalogue (QCRI, OffensEval 2020); the mirror the "
                "files come from states no licence"
            ),
        ),
        "osact2022": CorpusSource(
            title="OSACT 2022 shared task: offensive language and fine-grained hate speech tweets",
            url="https://github.com/zainasaadeddin/Hate-Speech-Detection-on-Arabic-Twitter",
            citation=(
                "Mubarak, Al-Khalifa, Al-Thubaity (2022). Overview of OSACT5 Shared Task on "
                "Arabic Offensive Language and Hate Speech Detection. OSACT 2022 (LREC)"
            ),
            licence=(
                "QCRI terms: research use only (Masader: custom licence); the third-party "
                "mirror the files come from states no licence"
            ),
        ),
        "l-hsab": CorpusSource(
            title="L-HSAB: Levantine political tweets, normal / abusive / hate",
            url="https://github.com/motazsaad/arabic-hatespeech-data",
            citation=(
                "Mulki, Haddad, Bechikh Ali, Alshabani (2019). L-HSAB: A Levantine Twitter "
                "Dataset for Hate Speech and Abusive Language. 3rd Workshop on Abusive "
                "Language Online (ACL)"
            ),
            licence="Unstated: no licence is given, so the terms of use are unknown",
        ),
        "dangerous-speech": CorpusSource(
            title="Dangerous speech: tweets with threats of violence and safe tweets",
            url="https://github.com/UBC-NLP/Arabic-Dangerous-Dataset",
            citation=(
                "Alshehri, Nagoudi, Abdul-Mageed (2020). Understanding and Detecting Dangerous "
                "Speech in Social Media. OSACT4 (LREC 2020)"
            ),
            licence=(
                "Unstated: the repository gives no licence (Masader: unknown), so the terms of "
                "use are unknown"
            ),
        ),
        "hatecheck-ar": CorpusSource(
            title="Multilingual HateCheck: Arabic functional test cases",
            url="https://github.com/rewire-online/multilingual-hatecheck",
            citation=(
                "Röttger, Seelawi, Nozza, Talat, Vidgen (2022). Multilingual HateCheck: "
                "Functional Tests for Multilingual Hate Speech Detection Models. WOAH 2022"
            ),
            licence="CC BY 4.0 (LICENSE file in the repository)",
        ),
        "religious-hate-aref2020": CorpusSource(
            title=(
                "Religious and sectarian hate tweets (Shia/Sunni, Iran, clergy), half of the rows"
            ),
            url="https://github.com/NataliaVanetik/ArabicOffensiveLanguage_TaxonomyAndData",
            citation=(
                "Aref, Al Mahmoud, Taha, Al-Sharif et al. (2020). Hate speech detection of "
                "Arabic shorttext. CS & IT Conference Proceedings vol. 10, pp. 81-94"
            ),
            licence="GPL-3.0 repository; the tweets' own terms: research use only",
        ),
    }
)

_HOW_TO_SET = (
    f"pass the directory with the --data-dir option (or the data_dir argument), or set "
    f"the environment variable {DATA_DIR_ENV}; it is the folder that holds "
    + ", ".join(f"{name}/" for name in CORPUS_FOLDERS[:3])
    + " ... (the project's sibling shared/data)"
)


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Locate the directory of the shared public corpora.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The directory. Default: the environment variable ``AECLF_DATA_DIR``.

    Returns
    -------
    pathlib.Path
        The directory (``~`` expanded).

    Raises
    ------
    DataDirError
        If neither ``path`` nor ``AECLF_DATA_DIR`` is set, if the directory does not
        exist, or if it holds none of the corpus folders (:data:`CORPUS_FOLDERS`). The
        message says how to set it.
    """
    if path is None or str(path) == "":
        env = os.environ.get(DATA_DIR_ENV, "")
        if not env.strip():
            raise DataDirError(f"the shared data directory is not set: {_HOW_TO_SET}")
        path, origin = env, f"{DATA_DIR_ENV}={env!r}"
    else:
        origin = "the given data directory"
    directory = Path(path).expanduser()
    if not directory.is_dir():
        raise DataDirError(f"{origin}: {directory} is not an existing directory: {_HOW_TO_SET}")
    if not any((directory / name).is_dir() for name in CORPUS_FOLDERS):
        raise DataDirError(
            f"{origin}: {directory} holds none of the corpus folders "
            f"({', '.join(CORPUS_FOLDERS)}): {_HOW_TO_SET}"
        )
    return directory


def _corpus_dir(directory: str | os.PathLike[str] | None, folder: str) -> Path:
    """One corpus folder of the shared data; :class:`DataDirError` if it is missing.

    (The loaders' ``data_dir`` argument shadows :func:`data_dir`, hence this helper.)
    """
    path = data_dir(directory) / folder
    if not path.is_dir():
        raise DataDirError(
            f"{path} not found: the shared data directory lacks the folder {folder}/"
        )
    return path


def _corpus_file(directory: str | os.PathLike[str] | None, folder: str, name: str) -> Path:
    """Path of one file of the shared data; :class:`DataDirError` if it is missing."""
    path = _corpus_dir(directory, folder) / name
    if not path.is_file():
        raise DataDirError(
            f"{path} not found: the shared data directory lacks {folder}/{name} "
            f"(see {folder}/SOURCE.txt for where it comes from)"
        )
    return path
