# « 2 déc. 2026 », « 2 déc. 2026 à 14:30 » ; sans l'année : « 2 déc. », « 2 déc. à 14:30 ».
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = r"j N Y \à H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j N"
SHORT_DATETIME_FORMAT = r"j N \à H:i"
