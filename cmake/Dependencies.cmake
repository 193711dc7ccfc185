# The packages every build of the libraries needs, found once by whichever root includes this (the top
# level, or fuzz/ when it builds the libraries itself), so the two roots cannot disagree.
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(ZLIB REQUIRED)  # ITCH files, plain or gzip, read and written through zlib
set(CURSES_NEED_NCURSES TRUE)
set(CURSES_NEED_WIDE TRUE)
find_package(Curses REQUIRED)
