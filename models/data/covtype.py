"""Facts about the Forest Covertype data: its columns in every known naming, its classes, its source."""

from __future__ import annotations

QUANTITATIVE = [
    "Elevation",
    "Aspect",
    "Slope",
    "Horizontal_Distance_To_Hydrology",
    "Vertical_Distance_To_Hydrology",
    "Horizontal_Distance_To_Roadways",
    "Hillshade_9am",
    "Hillshade_Noon",
    "Hillshade_3pm",
    "Horizontal_Distance_To_Fire_Points",
]

#: The 54 feature names as scikit-learn's ``fetch_covtype(as_frame=True)`` spells them.
FEATURES = QUANTITATIVE + [f"Wilderness_Area_{i}" for i in range(4)] + [f"Soil_Type_{i}" for i in range(40)]
#: UCI's and Kaggle's spelling of the same 54 features (1-based one-hot groups).
UCI_FEATURES = QUANTITATIVE + [f"Wilderness_Area{i}" for i in range(1, 5)] + [f"Soil_Type{i}" for i in range(1, 41)]
TARGET = "Cover_Type"
N_COLUMNS = len(FEATURES) + 1  # 55 in covtype.data

#: Cover_Type label -> tree species, from the UCI description.
CLASS_NAMES = {
    1: "Spruce/Fir",
    2: "Lodgepole Pine",
    3: "Ponderosa Pine",
    4: "Cottonwood/Willow",
    5: "Aspen",
    6: "Douglas-fir",
    7: "Krummholz",
}
#: Short names where seven must fit side by side (confusion-matrix columns, chart ticks).
SHORT_CLASS_NAMES = {1: "Spruce", 2: "Lodgepole", 3: "Ponderosa", 4: "Willow", 5: "Aspen", 6: "Douglas", 7: "Krummholz"}


def class_names(classes: list[str], short: bool = False) -> list[str]:
    """Covertype's labels 1..7 as cover-type names ("2 Lodgepole Pine"); other labels unchanged."""
    names = SHORT_CLASS_NAMES if short else CLASS_NAMES
    return [f"{c} {names[int(c)]}" if c.isdigit() and int(c) in names else c for c in classes]

#: The cache name of the full data, and the name of the 16,000 rows bundled with modelrace (models.data.bundled).
CACHE_NAME = "covtype"
BUNDLED_NAME = "covtype-16k"

#: The official full-data row count, for notes about how a sample compares.
FULL_ROWS = 581_012

#: Where scikit-learn downloads covtype.data.gz from, and its sha256 (mirrors sklearn's ARCHIVE).
DEFAULT_URL = "https://ndownloader.figshare.com/files/5976039"
DEFAULT_SHA256 = "614360d0257557dd1792834a85a1cdebfadc3c4f30b011d56afee7ffb5b15771"
DOWNLOAD_BYTES = 11_240_707

CREDIT = (
    "Covertype data: Blackard, J. (1998), UCI Machine Learning Repository, "
    "https://doi.org/10.24432/C50K5N, CC BY 4.0; creators Jock A. Blackard and Denis J. Dean, "
    "Colorado State University."
)


def canonical_name(column: str) -> str | None:
    """Map a column name in sklearn's, UCI's or Kaggle's spelling to sklearn's; None if unknown."""
    name = column.strip()
    if name in FEATURES or name == TARGET:
        return name
    if name in UCI_FEATURES:
        return FEATURES[UCI_FEATURES.index(name)]
    return None
