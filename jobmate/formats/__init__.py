"""How each language writes dates and times on our pages (settings.FORMAT_MODULE_PATH).

Only the formats we print are set; every other one is Django's for the language. The
templates name a format (`|date:"DATE_FORMAT"`), never spell one, so that "2 Dec 2026"
reads "2 déc. 2026" in French. Month abbreviations: English uses `M` ("Dec", no dot);
French uses `N` ("déc.", "mars", "juil."), since `M` gives "Déc" and "Jui" for both June and July.
"""
