# "2 Dec 2026", "2 Dec 2026, 14:30"; the day without the year: "2 Dec", "2 Dec, 14:30".
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
SHORT_DATETIME_FORMAT = "j M, H:i"
