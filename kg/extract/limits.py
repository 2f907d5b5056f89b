"""The extract stage's thresholds in one place: windows and maximum lengths in characters, counts
of tokens or sentences, and word frequencies that its finders use, each with why its value.

The values were set on the seeds and the dev articles and are part of the extractor's behaviour:
changing one changes the graph. The words the rules look for are in ``kg/data`` tables; the
windows here say how far from an anchor they are looked for.

What this module does not do: hold grammar facts (a three-character name is surname + two; a
month is at most 12), which stay where the rule is written.
"""
from __future__ import annotations

# ------------------------------------------------------------------ phrases and names (phrases.py)
PHRASE_LEFT_CHARS = 16      # a noun phrase extends at most this far left of its head (longest names of the genre)

# ------------------------------------------------------------------ context.py
TITLE_PROBE_CHARS = 8       # the title's opening characters looked for in the first line (enough to be unique)

# ------------------------------------------------------------------ figures (counted.py, indicators.py, resolve.py)
DESCRIPTIVE_CLAUSE_CHARS = 30   # a 的 this close after a figure may close a descriptive clause (表现优秀、实绩突出的…)
PER_UNIT_VERBS = 3          # verbs and adverbs between 每 and its figure (每户年均增收); more is another clause
NOUN_GAP_TOKENS = 3         # non-noun tokens skipped back from a figure to the noun it closes (贫困人口共计1200人)
POST_VERB_TOKENS = 8        # tokens after 到/赴/在 searched for the verb of taking a post (到村担任第一书记)
STATUS_CHARS = 14           # longest status clause after a counted place (9个重点村顺利退出); longer is an activity
VERB_PROBE_CHARS = 4        # characters tagged to see whether a clause opens with a verb (one word with a prefix)
DURATION_MAX = 100          # a duration of 100 or more (建党100年) is an anniversary, not a reported duration
RANGE_LEFT_CHARS = 6        # characters before a number searched for the start of a range (3至5年)
SUBDIVISIONS_MAX = 100      # 下辖六县两区: a larger count is no number of subdivisions
GROUP_MODIFIER_CHARS = 13   # a modifier before a known group term is shorter (省直单位处级干部 → 处级干部)
MAX_LEAD_IN = 5000          # characters of a paragraph before a sentence searched for its opening year

# ------------------------------------------------------------------ documents.py
MAX_TITLE = 30              # characters before a regulation head searched for the verb or mark opening its name
REGULATION_LEFT_CHARS = 24  # how far a phrase extends left of a regulation head when no verb introduces it
REGULATION_MIN_CHARS = 4    # fewer characters before the head (工作方案) name no regulation, only its kind

# ------------------------------------------------------------------ groups.py
LOOSE_GROUP_TERM = 5        # a group term this long is specific enough to take inside a longer token
ACTING_VERB_CHARS = 12      # characters before a group searched (within its clause) for a verb acting on it

# ------------------------------------------------------------------ initiatives.py
SCOPED_NAME_MIN = 4         # a scope word is set apart only if at least this many characters remain (全县示范 stays)
HEAD_TAIL_CHARS = 6         # Han characters between a quoted name and its head word (“三对一”帮扶模式)
ITEM_HEAD_TAIL_CHARS = 4    # the same after a count of items (三个方面的规范化建设)
HEAD_WORD_CHARS = 4         # room for the head word after the tail (most heads have 2–4 characters)
ENUMERATION_LEFT_CHARS = 8  # how far the first item of an enumeration extends left
SELF_HEADED_MIN = 3         # a quoted name ending in a head word needs a character before it (“清单制”)
SCOPE_PREFIX_CHARS = 4      # characters before a quoted set searched for a scope word (longest: 党支部)
GLUED_PREFIX_CHARS = 6      # Han characters glued before a quote that belong to the name (不合格“召回”制度)
HEADED_NAME_CHARS = 14      # an unquoted name extends at most this far left of its head word
NUMBERED_MODIFIER_CHARS = 8  # characters before a head searched for a numbered modifier (四级网格体系)

# ------------------------------------------------------------------ bodies.py, institutions.py, posts.py
COMMAND_PREFIX_CHARS = 10   # how far the name of a 指挥部 extends left
COMMAND_NAME_MIN = 4        # fewer characters before 指挥部 name none (the bare word is no body)
MAX_NAME = 14               # an organisation name's words start at most this far before its suffix
MAX_CHAIN = 40              # characters before a name searched for the posts written before it (县委常委、组织部部长)
POST_TITLE_CHARS = 8        # longest post title of post_titles.tsv looked for
UNIT_REST_CHARS = 8         # longest unit name after a post's body (…办公室主任)

# ------------------------------------------------------------------ persons.py
COMMON_WORD_FREQ = 50       # a candidate name this frequent in jieba's dictionary is a word, not a name
NEXT_WORD_FREQ = 1000       # a word this common after a name's second character is the next word
SURNAME_COUNT = 300         # the first lines of surnames.txt (by frequency): the common surnames
CREDIT_WINDOW = 40          # characters after a photo or author credit searched for spaced names (李 某 摄)
EDITOR_CUE_CHARS = 6        # characters before a name searched for an editor cue (责任编辑)

# ------------------------------------------------------------------ relations.py, pairings.py
LEAD_SENTENCES = 3          # the first body sentences searched for the article's lead body
SINCE_PHRASE_CHARS = 12     # a time phrase ending in 以来 before the lead body (党的十八大以来，) is at most this long
MEETING_CHARS = 12          # characters after a body searched for a meeting word (省委十届六次全会)
DRAW_ON_CHARS = 8           # characters before an initiative searched for a verb of drawing on it
PAIRING_TERM_CHARS = 8      # characters after a partner searched for a pairing term
SEND_VERB_CHARS = 12        # characters after the second partner searched for a verb of sending
TOWARDS_CHARS = 6           # characters after the first partner in which 向 marks who receives
PARTNERS_GAP_CHARS = 24     # longest text between two partners of one clause that pairs them

# ------------------------------------------------------------------ villages.py
NAME_MIN, NAME_MAX = 2, 4   # Han characters of a village name before its suffix
QUOTE_SPAN = 24             # characters searched each side for quotes around a village name
