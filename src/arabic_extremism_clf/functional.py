"""Functional tests: Arabic lines that a promotion classifier must *not* flag.

A held-out table of short Arabic posts, grouped by *functionality* in the manner of
HateCheck (Röttger et al. 2021; Röttger et al. 2022, Multilingual HateCheck): each
functionality names one kind of text that shares vocabulary with pro-extremist
propaganda but does not promote any group, so that a model's errors can be read per
kind of text rather than as one aggregate score.

The hard cases for this library are texts that use the same words as propaganda:

* counter-speech that quotes, mocks or refutes the group (``counter_*``);
* neutral news that reports on it (``news_reporting``);
* everyday religious speech that uses *khilafa*, *jihad*, *shahid*, *al-janna* or
  *al-umma al-islamiyya* in their ordinary senses (``religious_*``, ``everyday_shaheed``).

Every case carries the expected label :data:`~arabic_extremism_clf.corpus.NOT_PROMOTIONAL`.
The table deliberately holds no promotional line at all.

The lines were written for this project (they are not copied from HateCheck or from any
corpus of the shared data directory), so they ship with the library under its own licence.
They are in Modern Standard Arabic with some Gulf, Levantine and Egyptian dialect, at
social-media post length. The ``note`` of a case is a short English gloss; a tag such as
``[Gulf]`` marks a dialect line.

Notes
-----
This table is **held out from training**: never train, tune thresholds or select
features on it. It measures how a fitted model behaves on kinds of text it must leave
alone; fitting on it would hide exactly the failures it is meant to reveal.

References
----------
.. [1] P. Röttger, B. Vidgen, D. Nguyen, Z. Waseem, H. Margetts and J. Pierrehumbert,
   "HateCheck: Functional Tests for Hate Speech Detection Models", ACL 2021.
.. [2] P. Röttger, H. Seelawi, D. Nozza, Z. Talat and B. Vidgen, "Multilingual HateCheck:
   Functional Tests for Multilingual Hate Speech Detection Models", WOAH 2022.

Examples
--------
>>> from arabic_extremism_clf.functional import FUNCTIONALITIES, cases
>>> "counter_so_called" in FUNCTIONALITIES
True
>>> all(c.expected == "not_promotional" for c in cases("news_reporting"))
True
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import NOT_PROMOTIONAL, PROMOTIONAL

__all__ = ["FunctionalCase", "FUNCTIONALITIES", "CASES", "LABELS", "cases"]

#: The labels a case may expect (the training label scheme of :mod:`.corpus`).
LABELS = (PROMOTIONAL, NOT_PROMOTIONAL)


@dataclass(frozen=True)
class FunctionalCase:
    """One functional test case.

    Parameters
    ----------
    functionality : str
        The key of :data:`FUNCTIONALITIES` the case tests.
    text : str
        The Arabic post.
    expected : str
        The label a correct model gives: ``"not_promotional"`` for every case shipped.
    note : str
        A short English gloss (with a dialect tag such as ``[Gulf]`` where it applies).
    """

    functionality: str
    text: str
    expected: str = NOT_PROMOTIONAL
    note: str = ""


#: Functionality name -> one-line English description.
FUNCTIONALITIES: dict[str, str] = {
    "counter_quote_refute": "Quotes a slogan or claim of the group in order to refute it.",
    "counter_so_called": "Mocks the 'so-called' state / alleged caliphate "
    "('ما يسمى', 'المزعومة', 'تنظيم داعش الإرهابي').",
    "counter_defeat_news": "Celebrates or announces defeats, arrests, liberated towns "
    "and the end of the alleged caliphate.",
    "counter_victims": "Names or mourns victims of the group; solidarity with survivors.",
    "counter_religious": "Religious vocabulary used against the group (khawarij, "
    "'Islam is innocent', scholars condemning).",
    "counter_patriotic": "Patriotic, army and police vocabulary against terrorism; "
    "condolences to fallen security forces.",
    "news_reporting": "Neutral, agency-style news mentioning the group "
    "(attacks, statements, analysis, trials).",
    "religious_prayer": "Ordinary prayers, supplications and Friday greetings.",
    "religious_greeting": "Eid, Ramadan and other religious greetings, "
    "some mentioning 'الأمة الإسلامية'.",
    "religious_history": "Islamic history lessons using 'الخلافة' and early battles "
    "in their historical sense.",
    "religious_jurisprudence": "Fiqh and hadith lessons (jihad of the self, zakat, prayer "
    "rulings, ordinary senses of 'شهيد').",
    "everyday_shaheed": "Everyday condolences and mourning mentioning "
    "شهيد / الشهداء / الجنة.",
}

# Each section: (text, note) pairs. Kept as plain data so the table reads like a list.
_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "counter_quote_refute": (
        (
            "يرددون شعار \"باقية وتتمدد\" وها هي الأكذوبة انتهت تحت أنقاض الباغوز، "
            "لا بقيت ولا تمددت.",
            "'Remaining and expanding' ended under the rubble of Baghuz.",
        ),
        (
            "قالوا إنهم جاؤوا لحماية المسلمين، بينما كان أغلب ضحاياهم من المسلمين أنفسهم. "
            "كذبة مكشوفة.",
            "They claimed to protect Muslims; most of their victims were Muslims.",
        ),
        (
            "كل ما حدا يقول \"دولة الخلافة\" بتذكر السجون والإعدامات والتهجير، "
            "لا كانت دولة ولا خلافة.",
            "[Levantine] 'Caliphate state' meant prisons and executions, neither one.",
        ),
        (
            "زعم التنظيم أن مقاتليه \"يدافعون عن الدين\"، والحقيقة أنهم شوهوا صورة الدين "
            "أمام العالم كله.",
            "Claim of 'defending the religion' refuted: they disfigured it.",
        ),
        (
            "يقولك \"الهجرة واجبة\" عشان يجر الشباب لمحرقة، والله ما هي إلا تجارة بأرواح العيال.",
            "[Gulf] The 'hijra is a duty' call was a trade in young lives.",
        ),
        (
            "ادعاؤهم أن كل من لا يبايعهم مرتد ادعاء باطل، رده علماء الأمة بالأدلة الواضحة.",
            "Their claim that non-followers are apostates is refuted by scholars.",
        ),
        (
            "\"تمكين\" بأي معنى؟ مدن مدمرة ونازحين بالملايين، هاد هو التمكين اللي كانوا "
            "يتفاخروا فيه.",
            "[Levantine] Mocks the 'empowerment' claim: ruined cities, millions displaced.",
        ),
        (
            "رفعوا شعار \"لا حكم إلا لله\" كما رفعه الخوارج الأوائل، وقد قال علي رضي الله عنه: "
            "كلمة حق أريد بها باطل.",
            "Ali's classic reply to the khawarij slogan applied to them.",
        ),
        (
            "يسمّون تفجيراتهم \"انتصارًا للأمة\"، فأي انتصار في قتل مصلين داخل مسجد يوم الجمعة؟",
            "What 'victory' is there in killing worshippers on a Friday?",
        ),
        (
            "إعلامهم كان يصور الحياة عندهم كأنها نعيم، وشهادات الهاربين تتحدث عن الجوع والخوف "
            "والتجسس على الجيران.",
            "Their media showed paradise; escapees describe hunger and fear.",
        ),
        (
            "عبارة \"أرض الخلافة\" التي روجوا لها لم تكن سوى أرض محروقة يفر منها أهلها.",
            "The 'land of the caliphate' was scorched earth its people fled.",
        ),
        (
            "بيقولوا \"نصرة المستضعفين\" وهما أول ناس استضعفوا الغلابة وسرقوا بيوتهم.",
            "[Egyptian] 'Support for the weak' while they robbed the weak.",
        ),
        (
            "حين يقول أنصارهم إن الهزيمة \"مجرد انحياز تكتيكي\"، فهذا إنكار لهزيمة وثقتها "
            "الصور وشهادات الأهالي.",
            "Calling the defeat a 'tactical withdrawal' is denial of documented facts.",
        ),
        (
            "يزعمون أن ضحاياهم \"يستحقون\" ما جرى لهم، ولا يوجد في الشريعة ما يبيح قتل "
            "الأبرياء والأطفال.",
            "Refutes the claim that victims 'deserved it'.",
        ),
        (
            "كلامهم عن \"العزة\" انتهى بصور قادتهم مختبئين في الأنفاق أو مكبلين في قاعات المحاكم.",
            "Their talk of 'glory' ended in tunnels and courtrooms.",
        ),
        (
            "روّجوا أن كل الإعلام كاذب إلا إعلامهم، وهي حيلة كل جماعة مغلقة لعزل أتباعها "
            "عن الحقيقة.",
            "'Only our media is true' is the trick of every closed sect.",
        ),
        (
            "ظلوا سنين يعدون أتباعهم بنصر قريب، والشيء الوحيد اللي وصل هو الخراب لكل مكان "
            "دخلوه.",
            "Years of promised victory brought only ruin.",
        ),
    ),
    "counter_so_called": (
        (
            "ما يسمى بـ\"الدولة الإسلامية\" لا هي دولة ولا هي إسلامية، مجرد عصابة مسلحة.",
            "The so-called Islamic State is neither a state nor Islamic.",
        ),
        (
            "الخلافة المزعومة سقطت في أقل من خمس سنوات، وتركت وراءها مقابر جماعية ومدنًا مهدمة.",
            "The alleged caliphate fell within five years, leaving mass graves.",
        ),
        (
            "تنظيم داعش الإرهابي لا يمثل الإسلام ولا المسلمين، ومن يقول غير ذلك لم يقرأ ديننا.",
            "The terrorist organisation Daesh does not represent Islam.",
        ),
        (
            "خليفتهم المزعوم انتهى هارب ومختبي في نفق، وين الهيبة اللي كانوا يتكلمون عنها؟",
            "[Gulf] Their alleged caliph ended up hiding in a tunnel.",
        ),
        (
            "\"دولة\" ما يسمى بتنظيم الدولة ما كان عندها غير السيف والإتاوات على الفقراء.",
            "The so-called state had nothing but the sword and extortion of the poor.",
        ),
        (
            "لسا في ناس بتسمي داعش \"دولة\"؟ عصابة خطف وتهريب لابسة عباية الدين.",
            "[Levantine] A gang of kidnappers wearing religion as a cloak.",
        ),
        (
            "ما تسمى \"ولايات\" التنظيم في أفريقيا ليست سوى مجموعات تقطع الطرق وتخطف القرويين.",
            "The so-called 'provinces' are highway robbers and kidnappers.",
        ),
        (
            "الخلافة المزعومة التي أعلنوها من على منبر في الموصل كانت أقصر مسرحية في التاريخ "
            "الحديث.",
            "The alleged caliphate declared in Mosul was the shortest farce in modern history.",
        ),
        (
            "سموا أنفسهم \"جنود الخلافة\" وهم في الحقيقة مرتزقة باعوا أنفسهم لمن يدفع أكثر.",
            "Mocks the self-styled 'soldiers of the caliphate' as mercenaries.",
        ),
        (
            "التنظيم الإرهابي المسمى داعش حاول يسرق اسم الإسلام، بس الناس عرفت حقيقته بسرعة.",
            "The terrorist group tried to steal Islam's name; people saw through it.",
        ),
        (
            "\"أمراء\" التنظيم المزعومون عاشوا في الفلل المسروقة بينما يموت أتباعهم على الجبهات.",
            "The so-called 'emirs' lived in stolen villas while followers died.",
        ),
        (
            "\"عاصمة الخلافة\" المزعومة الرقة صارت رمزًا للدمار، والحمد لله أهلها رجعوا يعمروها.",
            "The alleged capital Raqqa; its people are rebuilding it.",
        ),
        (
            "المحاكم \"الشرعية\" المزعومة عند التنظيم لم تكن إلا أدوات لتصفية الخصوم ونهب الأملاك.",
            "The group's so-called sharia courts were tools for purges and looting.",
        ),
        (
            "كلمة \"دولة\" كبيرة قوي على جماعة عايشة على الخطف والفدية والسرقة.",
            "[Egyptian] 'State' is far too big a word for a kidnap-for-ransom gang.",
        ),
        (
            "ما يسمى \"ديوان الحسبة\" عند داعش كان يجلد الناس على سيجارة ويترك القتلة أحرارًا.",
            "The so-called morality police flogged smokers and spared killers.",
        ),
        (
            "عشان كده الإعلام المحترم بيقول \"تنظيم داعش الإرهابي\" مش \"الدولة الإسلامية\"، "
            "الاسم نفسه كذبة.",
            "[Egyptian] Serious media say 'terrorist Daesh', the name itself is a lie.",
        ),
        (
            "الخلافة الوهمية انتهت، وما بقي منها إلا قصص الناس اللي دفعوا الثمن من دمهم.",
            "The illusory caliphate is over; only its victims' stories remain.",
        ),
    ),
    "counter_defeat_news": (
        (
            "قوات سوريا الديمقراطية تعلن السيطرة على بلدة الباغوز، آخر جيب لتنظيم داعش شرق الفرات، "
            "وانتهاء ما يسمى بالخلافة.",
            "SDF announces Baghuz taken, end of the so-called caliphate.",
        ),
        (
            "الحمد لله، تحرير الموصل بالكامل من قبضة داعش بعد تسعة أشهر من المعارك.",
            "Mosul fully liberated after nine months of fighting.",
        ),
        (
            "القبض على خلية إرهابية تابعة لداعش كانت تخطط لاستهداف مراكز تسوق، وضبط متفجرات "
            "بحوزة أفرادها.",
            "ISIS cell planning to target malls arrested, explosives seized.",
        ),
        (
            "الرقة تحررت اليوم، والناس رجعت تمشي بالشوارع بلا خوف لأول مرة من سنين.",
            "[Levantine] Raqqa liberated; people walk the streets without fear.",
        ),
        (
            "مقتل زعيم التنظيم في عملية خاصة شمال غرب سوريا، بحسب بيان رسمي صادر صباح اليوم.",
            "Group leader killed in a special operation, per official statement.",
        ),
        (
            "انتهت أكذوبة \"باقية وتتمدد\" رسميًا: لا أرض ولا مدن، مجرد فلول هاربة في الصحراء.",
            "The 'remaining and expanding' lie is officially over.",
        ),
        (
            "الأمن الوطني يعلن تفكيك شبكة لتجنيد الشباب عبر الإنترنت لصالح داعش وإحالة أفرادها "
            "إلى النيابة.",
            "Online recruitment network dismantled, members referred to prosecution.",
        ),
        (
            "تحرير الفلوجة رسميًا ورفع العلم العراقي فوق المجمع الحكومي وسط المدينة.",
            "Fallujah officially liberated; Iraqi flag raised over government complex.",
        ),
        (
            "ألف مبروك لأهالي سرت، المدينة اتحررت من داعش والحياة بترجع لطبيعتها.",
            "[Egyptian/Libyan] Congratulations to Sirte, freed from Daesh.",
        ),
        (
            "الجيش اللبناني ينهي معركة \"فجر الجرود\" ويعلن خلو الحدود الشرقية من مسلحي داعش.",
            "Lebanese army ends its operation; eastern border cleared of ISIS.",
        ),
        (
            "وأخيرًا تطهير آخر جيوب التنظيم في صحراء الأنبار، شكرًا لكل من ضحى لأجل هذا اليوم.",
            "Last pockets in the Anbar desert cleared; thanks to all who sacrificed.",
        ),
        (
            "عشرات من عناصر التنظيم يسلمون أنفسهم للقوات العراقية في تلعفر بعد انهيار خطوطهم.",
            "Dozens of fighters surrender in Tal Afar as their lines collapse.",
        ),
        (
            "ما عاد لداعش أي مدينة، كل الأراضي اللي احتلوها رجعت لأهلها والحمد لله.",
            "[Gulf] Daesh holds no city any more; all land returned to its people.",
        ),
        (
            "بعد سنوات من الرعب، كوباني تحتفل بذكرى دحر التنظيم عن أحيائها بالأغاني والأعلام.",
            "Kobani celebrates the anniversary of driving the group out.",
        ),
        (
            "تقرير أممي يرصد تراجعًا كبيرًا في هجمات داعش خلال العام الماضي وخسارة معظم قادته "
            "الميدانيين.",
            "UN report: sharp fall in attacks, most field commanders lost.",
        ),
        (
            "القوات المسلحة تعلن القضاء على بؤر إرهابية في شمال سيناء وضبط مخازن أسلحة وذخائر.",
            "Armed forces announce terrorist hideouts in North Sinai eliminated.",
        ),
        (
            "تجفيف منابع تمويل التنظيم بعد استعادة حقول النفط التي كان يهربها عبر الحدود.",
            "Group's funding dried up after oil fields recaptured.",
        ),
    ),
    "counter_victims": (
        (
            "عشر سنوات على إبادة الإيزيديين في سنجار، وما زالت آلاف النساء والأطفال في عداد "
            "المفقودين. لن ننسى.",
            "Ten years since the Yazidi genocide in Sinjar; thousands still missing.",
        ),
        (
            "رحم الله الطيار معاذ الكساسبة، جريمة إحراقه كشفت للعالم حقيقة هؤلاء المجرمين.",
            "Mourns pilot Muath al-Kasasbeh; his killing exposed the criminals.",
        ),
        (
            "تضامني الكامل مع الناجيات الإيزيديات، وشجاعة نادية مراد في رواية ما حدث أقوى من "
            "كل أسلحتهم.",
            "Solidarity with Yazidi survivors and Nadia Murad's courage.",
        ),
        (
            "اليوم ذكرى مجزرة سبايكر، مئات الشباب قتلوا بدم بارد، الله يرحمهم ويصبر أهاليهم.",
            "Anniversary of the Speicher massacre; prayers for the victims.",
        ),
        (
            "أهل الموصل عاشوا ثلاث سنين تحت الرعب، تحية لكل عائلة صمدت وحمت أطفالها.",
            "Tribute to Mosul families who endured three years of terror.",
        ),
        (
            "نتذكر اليوم الصحفيين الذين قتلهم التنظيم لأنهم نقلوا الحقيقة، والكلمة الصادقة "
            "لا تموت.",
            "Remembering journalists killed for reporting the truth.",
        ),
        (
            "الله يرحم ضحايا تفجير الكرادة، ليلة عيد تحولت لمأتم، قلبي مع بغداد.",
            "Mourning the Karrada bombing victims in Baghdad.",
        ),
        (
            "الـ٢١ اللي اتقتلوا في ليبيا كانوا ناس غلابة راحوا يشتغلوا عشان عيالهم، "
            "ربنا يصبر أهاليهم في المنيا.",
            "[Egyptian] Mourns the 21 workers killed in Libya, families in Minya.",
        ),
        (
            "ضحايا مسجد الروضة في بئر العبد كانوا يصلّون الجمعة، أكثر من ٣٠٠ شهيد بينهم أطفال. "
            "رحمهم الله.",
            "Mourns the worshippers killed at al-Rawda mosque.",
        ),
        (
            "أطفال الإيزيديين اللي خطفوهم وغسلوا أدمغتهم يحتاجون رعاية نفسية، مو بس بيوت وأكل.",
            "[Gulf] Abducted Yazidi children need psychological care.",
        ),
        (
            "قلبي مع عائلات ضحايا مسرح باتاكلان في باريس، الإرهاب لا دين له ولا وطن.",
            "Solidarity with Bataclan victims' families; terrorism has no religion.",
        ),
        (
            "شهادة أم من الرقة: \"أخذوا ابني من المدرسة وما رجع\". هذه هي الحقيقة التي "
            "حاولوا إخفاءها.",
            "A Raqqa mother's testimony of her abducted son.",
        ),
        (
            "أهالي قرية كوجو ما زالوا ينتظرون التعرف على رفات أبنائهم المدفونين في المقابر "
            "الجماعية.",
            "Kocho villagers still await identification of remains in mass graves.",
        ),
        (
            "الرحمة لضحايا تفجير مطار أتاتورك، والشفاء العاجل لكل الجرحى وأسرهم.",
            "Mercy for victims of the Atatürk airport bombing.",
        ),
        (
            "ندعو لدعم الناجين من سجون التنظيم، كثيرون منهم يعيشون في المخيمات بلا عمل ولا علاج.",
            "Calls for support for survivors of the group's prisons.",
        ),
        (
            "الله يرحم كل اللي قتلهم التنظيم، سنة وشيعة ومسيحيين وإيزيديين، ما فرّق بين حدا، "
            "كلنا كنا ضحاياه.",
            "[Levantine] Mourns victims of every community.",
        ),
        (
            "تحية للمعلمين في الموصل اللي فتحوا مدارس سرية بالبيوت، وحموا عقول الأطفال من "
            "سموم التنظيم.",
            "Tribute to Mosul teachers who ran secret home schools.",
        ),
    ),
    "counter_religious": (
        (
            "هؤلاء خوارج العصر، وصف النبي ﷺ أسلافهم بأنهم يقرؤون القرآن لا يجاوز حناجرهم.",
            "They are the khawarij of our time, as the hadith describes.",
        ),
        (
            "الإسلام بريء من داعش ومن كل من يقتل الأبرياء باسم الدين.",
            "Islam is innocent of Daesh and of all who kill innocents.",
        ),
        (
            "هيئة كبار العلماء تصدر بيانًا تدين فيه جرائم التنظيم وتصف أتباعه بالفئة الضالة.",
            "Council of Senior Scholars condemns the group as a deviant faction.",
        ),
        (
            "قال تعالى: \"من قتل نفسًا بغير نفس أو فساد في الأرض فكأنما قتل الناس جميعًا\"، "
            "فأين هم من هذه الآية؟",
            "Quran 5:32 against killing; where are they from this verse?",
        ),
        (
            "الجهاد الحقيقي إنك تجاهد نفسك وتبر أهلك وتطلب العلم، مش إنك تفجر سوق.",
            "[Egyptian] True jihad is against the self, not bombing markets.",
        ),
        (
            "الأزهر الشريف: الفكر المتطرف خطر على الدين قبل أن يكون خطرًا على الأوطان.",
            "Al-Azhar: extremist thought endangers religion before nations.",
        ),
        (
            "والله ما عرفوا من الدين إلا القشور، دين الرحمة ما يعرف الذبح والحرق.",
            "[Gulf] They know only the husk of religion; mercy knows no burning.",
        ),
        (
            "التكفير بغير علم من أعظم الفتن، وقد حذر منه العلماء وبينوا ضوابطه منذ قرون.",
            "Takfir without knowledge is a grave sedition, scholars warned.",
        ),
        (
            "الرسالة المفتوحة التي وقعها أكثر من مئة عالم مسلم إلى زعيم التنظيم فندت فكره "
            "بالأدلة الشرعية نقطة نقطة.",
            "The open letter by 100+ scholars refuted the group point by point.",
        ),
        (
            "خطبة الجمعة اليوم كانت عن حرمة الدماء، وأن زوال الدنيا أهون عند الله من قتل رجل مسلم.",
            "Friday sermon on the sanctity of blood.",
        ),
        (
            "من يرفع راية سوداء ويقتل أهل القبلة لا يمثل أهل السنة والجماعة، بل يسير على "
            "طريق الخوارج.",
            "Killing fellow Muslims under a black flag is the khawarij's path.",
        ),
        (
            "نهى النبي ﷺ عن قتل النساء والأطفال والرهبان في الحرب، فكيف يستحلونه باسم الشريعة؟",
            "The Prophet forbade killing women, children and monks.",
        ),
        (
            "يا شباب، الدين ما ينأخذ من مقاطع على تيليجرام، ارجعوا للعلماء الثقات واسألوهم.",
            "[Gulf] Don't take religion from Telegram clips; ask trusted scholars.",
        ),
        (
            "الإسلام دين الوسطية: \"وكذلك جعلناكم أمة وسطًا\"، والغلو هلاك كما حذر النبي ﷺ.",
            "Islam is the religion of the middle way; extremism is ruin.",
        ),
        (
            "الانتحار حرام وقتل النفس البريئة حرام، ولا تصير الجريمة \"استشهادًا\" لأن "
            "فاعلها سماها كذلك.",
            "A crime does not become 'martyrdom' because its author calls it so.",
        ),
        (
            "دار الإفتاء تطلق مرصدًا للرد على الفتاوى التكفيرية وتفنيد شبهات الجماعات المتطرفة.",
            "Dar al-Ifta launches an observatory refuting takfiri fatwas.",
        ),
        (
            "أكثر من مئة إمام في بريطانيا رفضوا أداء صلاة الجنازة على منفذي هجوم لندن، "
            "وقالوا إن أفعالهم تناقض تعاليم الإسلام.",
            "UK imams refused funeral prayers for the London attackers.",
        ),
    ),
    "counter_patriotic": (
        (
            "رحم الله شهداء الواجب من رجال الأمن، دماؤهم الطاهرة حمت بيوتنا من الإرهاب.",
            "Mercy on the martyrs of duty among the security forces.",
        ),
        (
            "خالص العزاء لأسر شهداء القوات المسلحة في سيناء، حفظ الله مصر وجيشها وشعبها.",
            "Condolences to families of soldiers killed in Sinai.",
        ),
        (
            "الجيش العراقي الباسل سطر ملحمة في تحرير المدن من عصابات داعش الإرهابية.",
            "The Iraqi army's epic liberation of cities from Daesh gangs.",
        ),
        (
            "كل التحية لرجال الشرطة الساهرين على أمن الوطن، ما ننام مرتاحين إلا بفضلكم.",
            "[Gulf] Salute to police who guard the nation's security.",
        ),
        (
            "الله يرحم شهيدنا البطل، وقف على حاجز التفتيش لآخر نفس ومنع الانتحاري من الوصول "
            "للسوق.",
            "Mourns a checkpoint officer who stopped a suicide bomber reaching the market.",
        ),
        (
            "الوطن أغلى ما نملك، ولن يسمح شعبنا لأي جماعة إرهابية أن تفرق بين أبنائه.",
            "The homeland is most precious; no terrorist group will divide us.",
        ),
        (
            "سلمت إيدين جنودنا على الحدود، شكرًا إلكن على كل ليلة برد قضيتوها لأجلنا.",
            "[Levantine] Thanks to soldiers on the border for cold nights on guard.",
        ),
        (
            "في ذكرى شهداء الجيش العربي، نستذكر تضحياتهم في مواجهة الإرهاب ونجدد العهد بحماية "
            "الوطن.",
            "Remembering fallen soldiers of the Arab Army (Jordan).",
        ),
        (
            "أمن الوطن خط أحمر، ونقف صفًا واحدًا خلف أجهزتنا الأمنية في مواجهة الإرهاب والتطرف.",
            "National security is a red line; united behind the security services.",
        ),
        (
            "يا رب احفظ بلادنا من كل شر، واحفظ جنودنا المرابطين على الحدود في البرد والحر.",
            "Prayer for the country and soldiers guarding the borders.",
        ),
        (
            "كلنا فداء للوطن، ورحم الله كل من قدم روحه حتى يبقى العلم مرفوعًا.",
            "All of us for the homeland; mercy on those who gave their lives.",
        ),
        (
            "جنازة مهيبة للشهيد الملازم أول في قريته، الآلاف ودعوه بالدموع والزغاريد والأعلام.",
            "Solemn funeral of a fallen lieutenant in his village.",
        ),
        (
            "لأمهات الشهداء: أبناؤكم أبطالنا، وسنحكي عنهم لأطفالنا جيلًا بعد جيل.",
            "To mothers of fallen soldiers: your sons are our heroes.",
        ),
        (
            "قوات البيشمركة قدمت مئات الشهداء في الحرب على داعش، لهم منا كل التحية والتقدير.",
            "Tribute to Peshmerga who fell in the war on Daesh.",
        ),
        (
            "في يوم الشهيد نضع الورود على أضرحة أبطالنا الذين سقطوا في الحرب على الإرهاب.",
            "Martyrs' Day: flowers on the graves of those who fell fighting terrorism.",
        ),
        (
            "ولادنا في الجيش مش بيحاربوا عشان نفسهم، بيحاربوا عشان كل بيت في البلد يفضل آمن.",
            "[Egyptian] Our boys in the army fight so every home stays safe.",
        ),
        (
            "نرفع رؤوسنا فخرًا برجال الأمن الذين أحبطوا المخطط الإرهابي قبل تنفيذه بساعات.",
            "Proud of the security men who foiled a terror plot hours before it.",
        ),
    ),
    "news_reporting": (
        (
            "بغداد (رويترز) - قال مسؤولون أمنيون إن هجومًا تبناه تنظيم الدولة الإسلامية أسفر "
            "عن مقتل ثلاثة جنود في محافظة كركوك.",
            "Agency report: attack claimed by the group kills three soldiers.",
        ),
        (
            "أعلن تنظيم داعش في بيان نشرته وكالة تابعة له مسؤوليته عن الهجوم، ولم يتسنَّ "
            "التحقق من صحة البيان بشكل مستقل.",
            "Group claims the attack; claim not independently verified.",
        ),
        (
            "محكمة ألمانية تصدر حكمًا بالسجن المؤبد على عضو سابق في داعش بتهمة ارتكاب جرائم "
            "إبادة بحق الإيزيديين.",
            "German court sentences former member to life for genocide.",
        ),
        (
            "تقرير لفريق الرصد الأممي: آلاف من مقاتلي التنظيم لا يزالون ينشطون في مناطق "
            "متفرقة من سوريا والعراق.",
            "UN monitoring team: thousands of fighters still active.",
        ),
        (
            "يقول محللون إن التنظيم بات يعتمد على خلايا صغيرة متنقلة بعد خسارته السيطرة على "
            "الأراضي.",
            "Analysts: the group relies on small mobile cells after losing territory.",
        ),
        (
            "التحالف الدولي ينفذ غارات جوية على مواقع يُشتبه بأنها تابعة لداعش في البادية السورية.",
            "Coalition air strikes on suspected ISIS sites in the Syrian desert.",
        ),
        (
            "توقيف امرأة عائدة من مخيم الهول للتحقيق في صلات محتملة مع التنظيم، وفق مصدر قضائي.",
            "Woman returning from al-Hol detained over possible links.",
        ),
        (
            "بدء محاكمة أربعة متهمين بالانتماء إلى تنظيم الدولة في قضية تفجيرات بروكسل.",
            "Trial opens of four accused of membership over the Brussels bombings.",
        ),
        (
            "أفادت مصادر محلية بأن مسلحين يُعتقد انتماؤهم لداعش هاجموا قرية في منطقة الساحل، "
            "دون أنباء عن ضحايا حتى الآن.",
            "Local sources: suspected ISIS gunmen attack a Sahel village.",
        ),
        (
            "ناقشت ندوة في جامعة القاهرة أسباب انضمام الشباب إلى التنظيمات المتطرفة وسبل الوقاية "
            "منها.",
            "Cairo University seminar on why youth join extremist groups.",
        ),
        (
            "وزارة الخارجية تعلن استعادة دفعة جديدة من أطفال مواطنيها من مخيمات شمال شرق سوريا.",
            "Foreign ministry repatriates citizens' children from camps.",
        ),
        (
            "دراسة جديدة تحلل الخطاب الإعلامي لتنظيم داعش على منصات التواصل بين عامي 2014 و2019.",
            "New study analyses the group's social-media discourse 2014-2019.",
        ),
        (
            "ذكرت صحيفة محلية أن السلطات رحّلت ثلاثة أجانب للاشتباه في تواصلهم مع عناصر من "
            "التنظيم.",
            "Newspaper: three foreigners deported over suspected contacts.",
        ),
        (
            "عاجل | انفجار عبوة ناسفة قرب دورية للجيش في ديالى، ومصادر أمنية ترجح وقوف خلايا "
            "داعش وراءه.",
            "Breaking: roadside bomb near army patrol in Diyala.",
        ),
        (
            "مجلس الأمن يمدد ولاية فريق التحقيق الأممي الخاص بجرائم داعش في العراق (يونيتاد).",
            "Security Council extends UNITAD's mandate.",
        ),
        (
            "كشفت وثائق عُثر عليها في الموصل عن نظام الجباية الذي فرضه التنظيم على السكان خلال "
            "فترة سيطرته.",
            "Documents found in Mosul reveal the group's levy system.",
        ),
        (
            "السلطات التركية توقف عشرين مشتبهًا بهم في عملية أمنية ضد خلايا تنظيم الدولة في "
            "إسطنبول.",
            "Turkish authorities detain twenty suspects in Istanbul.",
        ),
    ),
    "religious_prayer": (
        (
            "جمعة مباركة، اللهم اجعلنا من الذين يستمعون القول فيتبعون أحسنه.",
            "Blessed Friday, with a Quranic supplication.",
        ),
        (
            "اللهم إني أسألك علمًا نافعًا ورزقًا طيبًا وعملًا متقبلًا.",
            "Morning supplication for useful knowledge and good provision.",
        ),
        (
            "لا تنسوا قراءة سورة الكهف اليوم والإكثار من الصلاة على النبي ﷺ.",
            "Friday reminder: read Surat al-Kahf.",
        ),
        (
            "يا رب اشف مرضانا ومرضى المسلمين، وارحم موتانا وموتى المسلمين.",
            "Prayer for the sick and the dead.",
        ),
        (
            "الله يسعد صباحكم ويرزقكم من واسع فضله، جمعتكم طيبة يا أحباب.",
            "[Gulf] Good-morning Friday wishes.",
        ),
        (
            "اللهم احفظ بلادنا وبلاد المسلمين من كل سوء، وانشر الأمن والسلام في الأرض كلها.",
            "Prayer for safety and peace everywhere.",
        ),
        (
            "يا رب بحق هالجمعة المباركة تفرجها على كل مهموم وتيسر أمور كل واحد فينا.",
            "[Levantine] Friday prayer for relief for the worried.",
        ),
        (
            "ربنا آتنا في الدنيا حسنة وفي الآخرة حسنة وقنا عذاب النار.",
            "Quranic supplication (2:201).",
        ),
        (
            "يا رب وفق ولادنا في امتحاناتهم وافتح عليهم فتوح العارفين وصبّرهم على المذاكرة.",
            "[Egyptian] Prayer for children sitting exams.",
        ),
        (
            "اللهم إنا نسألك الفردوس الأعلى من الجنة لنا ولوالدينا ولجميع المسلمين.",
            "Prayer for paradise for ourselves and our parents.",
        ),
        (
            "ساعة الاستجابة يوم الجمعة في آخر ساعة قبل المغرب، أكثروا فيها من الدعاء.",
            "Reminder of the hour of answered prayer on Friday.",
        ),
        (
            "اللهم اهدِ شبابنا وثبتهم على الحق، واصرف عنهم الفتن ما ظهر منها وما بطن.",
            "Prayer that young people be guarded from trials.",
        ),
        (
            "أستغفر الله العظيم الذي لا إله إلا هو الحي القيوم وأتوب إليه.",
            "Formula of seeking forgiveness.",
        ),
        (
            "اللهم لك الحمد على نعمة الأمن والأمان، ونعمة الأهل والأحبة، ونعمة العافية.",
            "Thanks to God for safety, family and health.",
        ),
        (
            "الحمد لله على الغيث بعد طول انتظار، اللهم صيبًا نافعًا ولا تجعلنا من القانطين.",
            "Prayer at the coming of rain.",
        ),
        (
            "يا رب ارزق كل من يقرأ هذه الكلمات راحة البال وسعة الرزق وصلاح الذرية.",
            "Wishes of peace of mind for every reader.",
        ),
        (
            "حسبي الله لا إله إلا هو، عليه توكلت وهو رب العرش العظيم.",
            "Quranic formula of trust in God (9:129).",
        ),
    ),
    "religious_greeting": (
        (
            "تقبل الله منا ومنكم صالح الأعمال، وكل عام وأنتم بخير بمناسبة عيد الفطر المبارك.",
            "Eid al-Fitr greeting.",
        ),
        (
            "رمضان كريم، أعاده الله على الأمة الإسلامية بالخير واليمن والبركات.",
            "Ramadan greeting to the Islamic umma.",
        ),
        (
            "عيدكم مبارك وعساكم من عواده، الله يعيده علينا وعليكم بالصحة والسلامة.",
            "[Gulf] Eid greeting.",
        ),
        (
            "كل سنة وانتو طيبين، عيد أضحى مبارك على الأمة الإسلامية كلها.",
            "[Egyptian] Eid al-Adha greeting to the whole umma.",
        ),
        (
            "مبارك عليكم الشهر، الله يتقبل صيامكم وقيامكم ودعاكم.",
            "[Gulf] Welcoming the month of Ramadan.",
        ),
        (
            "بمناسبة حلول شهر رمضان المبارك، نتقدم بأطيب التهاني إلى الأمتين العربية والإسلامية.",
            "Formal Ramadan congratulations to the Arab and Islamic nations.",
        ),
        (
            "ينعاد عليكم، وكل عام وأنتو بألف خير، وعقبال العيد الجاي بلمة العيلة.",
            "[Levantine] Eid wishes, next year with the whole family together.",
        ),
        (
            "ليلة القدر خير من ألف شهر، أسأل الله أن يبلغنا إياها وأن يعتقنا فيها من النار.",
            "Laylat al-Qadr greeting.",
        ),
        (
            "عيد سعيد لكل أطفال العالم، ونسأل الله أن يكون عيد سلام على الأمة الإسلامية جمعاء.",
            "Happy Eid to all children; a peaceful Eid for the umma.",
        ),
        (
            "حج مبرور وسعي مشكور وذنب مغفور لكل حجاج بيت الله الحرام.",
            "Greeting to pilgrims returning from Hajj.",
        ),
        (
            "رمضان يجمعنا، إفطار اليوم عند جدتي والسفرة مليانة خير والبيت مليان ضحك.",
            "Ramadan iftar at grandmother's.",
        ),
        (
            "بمناسبة العام الهجري الجديد، جعله الله عام خير ووحدة وسلام للأمة الإسلامية.",
            "Hijri New Year greeting.",
        ),
        (
            "بمناسبة المولد النبوي الشريف، كل عام والأمة الإسلامية بخير، وصلى الله على سيدنا محمد.",
            "Mawlid greeting.",
        ),
        (
            "العيد فرحة، لا تنسوا صلة الأرحام وزيارة كبار السن والمرضى في هذه الأيام المباركة.",
            "Eid reminder to visit relatives, the elderly and the sick.",
        ),
        (
            "أهلًا رمضان، شهر الصبر والرحمة والتكافل، أعاننا الله على صيامه وقيامه.",
            "Welcome Ramadan, month of patience and solidarity.",
        ),
        (
            "عيد الأضحى مبارك، نسأل الله أن يتقبل من الحجاج والمضحين وأن يوحد صف الأمة.",
            "Eid al-Adha greeting praying for unity of the umma.",
        ),
        (
            "كل عام وأنتم بخير، جعلنا الله وإياكم من العايدين الفايزين المقبولين.",
            "Common Eid formula.",
        ),
    ),
    "religious_history": (
        (
            "بدأت الخلافة الراشدة بأبي بكر الصديق رضي الله عنه وانتهت باستشهاد علي بن أبي طالب "
            "سنة ٤٠ هـ.",
            "The Rashidun caliphate, from Abu Bakr to Ali.",
        ),
        (
            "نقل الأمويون عاصمة الخلافة من المدينة إلى دمشق، وامتدت دولتهم من الأندلس إلى "
            "حدود الصين.",
            "The Umayyads moved the caliphate's capital to Damascus.",
        ),
        (
            "أسس أبو جعفر المنصور مدينة بغداد عاصمةً للخلافة العباسية، فصارت مركزًا للعلم "
            "والترجمة.",
            "Al-Mansur founded Baghdad as the Abbasid capital.",
        ),
        (
            "في عام 1924 ألغى المجلس الوطني التركي الكبير الخلافة العثمانية، وهو حدث ناقشه "
            "المؤرخون طويلًا.",
            "Abolition of the Ottoman caliphate in 1924.",
        ),
        (
            "استعاد صلاح الدين الأيوبي القدس بعد معركة حطين، وعامل أهلها بالعفو والتسامح.",
            "Salah al-Din retook Jerusalem after Hattin and pardoned its people.",
        ),
        (
            "وقعت غزوة بدر الكبرى في السابع عشر من رمضان في السنة الثانية للهجرة.",
            "The battle of Badr, 17 Ramadan 2 AH.",
        ),
        (
            "درس اليوم في مادة التاريخ: كيف أنشأ عمر بن الخطاب الدواوين ونظم بيت المال.",
            "History class: Umar's administration and treasury.",
        ),
        (
            "بيت الحكمة في بغداد أيام المأمون كان من أعظم مراكز العلم والترجمة في العالم.",
            "The House of Wisdom under al-Ma'mun.",
        ),
        (
            "أوقفت معركة عين جالوت زحف المغول على الشام ومصر بقيادة سيف الدين قطز.",
            "Ayn Jalut stopped the Mongol advance.",
        ),
        (
            "أسس الفاطميون مدينة القاهرة والجامع الأزهر في القرن الرابع الهجري.",
            "The Fatimids founded Cairo and al-Azhar.",
        ),
        (
            "كتاب \"الأحكام السلطانية\" للماوردي من أهم المراجع لفهم نظام الخلافة عند الفقهاء "
            "القدامى.",
            "Al-Mawardi's treatise on the classical theory of the caliphate.",
        ),
        (
            "فتح القسطنطينية على يد السلطان محمد الفاتح سنة 1453م كان نقطة تحول في تاريخ العالم.",
            "Mehmed II's conquest of Constantinople in 1453.",
        ),
        (
            "في صلح الحديبية درس عظيم في الحكمة السياسية للنبي ﷺ وتقديم السلم على الحرب.",
            "The treaty of Hudaybiyya as a lesson in choosing peace.",
        ),
        (
            "يُضرب المثل بعدل الخليفة عمر بن عبد العزيز، حتى قيل إن عماله لم يجدوا فقيرًا يأخذ "
            "الزكاة.",
            "The proverbial justice of Umar ibn Abd al-Aziz.",
        ),
        (
            "عاشت قرطبة في ظل الخلافة الأموية بالأندلس قرونًا من ازدهار العلوم والتعايش بين "
            "المسلمين والمسيحيين واليهود.",
            "Cordoba under the Umayyad caliphate of al-Andalus.",
        ),
        (
            "كانت معركة القادسية في عهد الخليفة عمر بن الخطاب بقيادة سعد بن أبي وقاص.",
            "The battle of al-Qadisiyya under Umar.",
        ),
        (
            "حلقة جديدة من البودكاست عن تاريخ الخلافة العباسية وسقوط بغداد على يد هولاكو، "
            "أنصحكم فيها.",
            "Podcast episode on the Abbasid caliphate and the fall of Baghdad.",
        ),
    ),
    "religious_jurisprudence": (
        (
            "قال رسول الله ﷺ: \"أفضل الجهاد كلمة حق عند سلطان جائر\"، رواه أبو داود والترمذي.",
            "Hadith: the best jihad is a word of truth before an unjust ruler.",
        ),
        (
            "جهاد النفس من أعظم أنواع الجهاد عند العلماء، وهو تهذيبها وحملها على الطاعة وكفها "
            "عن المعاصي.",
            "Jihad of the self as the greatest struggle.",
        ),
        (
            "تجب زكاة المال إذا بلغ النصاب وحال عليه الحول، ومقدارها ربع العشر.",
            "Zakat on wealth: nisab, one lunar year, 2.5%.",
        ),
        (
            "من أحكام صلاة المسافر أنه يجوز له قصر الرباعية والجمع بين الظهر والعصر وبين "
            "المغرب والعشاء.",
            "Rulings on the traveller's prayer.",
        ),
        (
            "سؤال متكرر: هل يجوز إخراج زكاة الفطر نقدًا؟ المسألة خلافية، والحنفية أجازوا إخراج "
            "القيمة.",
            "Zakat al-Fitr in cash: a disputed question.",
        ),
        (
            "الغريق والمبطون وصاحب الهدم شهداء كما في الحديث الصحيح، فرحمة الله واسعة.",
            "Hadith: the drowned and those killed by collapse are martyrs.",
        ),
        (
            "حديث \"من قُتل دون ماله فهو شهيد\" يعلمنا حرمة المال والعرض وحق الإنسان في الدفاع "
            "عن نفسه.",
            "Hadith: one killed defending his property is a martyr.",
        ),
        (
            "الشهيد في اصطلاح الفقهاء أقسام، ومنهم من مات بالطاعون أو الغرق أو الحريق، وهؤلاء "
            "يُغسّلون ويُصلّى عليهم.",
            "Fiqh categories of shahid, e.g. plague, drowning, fire.",
        ),
        (
            "جاء رجل يستأذن النبي ﷺ في الجهاد فقال: \"أحيٌّ والداك؟\" قال: نعم، قال: "
            "\"ففيهما فجاهد\".",
            "Hadith: your jihad is in serving your parents.",
        ),
        (
            "حكم صلاة الجماعة للرجال: سنة مؤكدة عند الجمهور، وواجبة عند الحنابلة.",
            "Ruling on congregational prayer.",
        ),
        (
            "من فقه الصيام: من أكل أو شرب ناسيًا فليتم صومه، فإنما أطعمه الله وسقاه.",
            "Fasting: eating out of forgetfulness does not break the fast.",
        ),
        (
            "الفلسطينيون الذين قضوا تحت القصف نحسبهم شهداء عند الله، والدعاء لهم ولأهلهم "
            "واجب علينا.",
            "Palestinian civilians killed in bombardment regarded as martyrs.",
        ),
        (
            "رجال الإطفاء الذين ماتوا وهم ينقذون الناس من الحريق نحسبهم من شهداء الواجب.",
            "Firefighters who died saving people are martyrs of duty.",
        ),
        (
            "لا يجب الحج إلا على المستطيع، والاستطاعة تشمل الزاد والراحلة وأمن الطريق.",
            "Hajj is obligatory only on those able to perform it.",
        ),
        (
            "هل ينتقض الوضوء بأكل لحم الإبل؟ الجمهور على عدم النقض، خلافًا للحنابلة.",
            "Does eating camel meat break ablution? A fiqh question.",
        ),
        (
            "المرأة التي تموت في نفاسها شهيدة كما جاء في الحديث، فلنحسن الظن بالله في موتانا.",
            "A woman who dies in childbirth is a martyr, per hadith.",
        ),
        (
            "النية شرط في العبادات لحديث \"إنما الأعمال بالنيات\"، ومحلها القلب لا اللسان.",
            "Intention is a condition of worship; its place is the heart.",
        ),
    ),
    "everyday_shaheed": (
        (
            "انتقل إلى رحمة الله جارنا أبو محمد، الله يرحمه ويجعل مثواه الجنة.",
            "Neighbour passed away; may paradise be his abode.",
        ),
        (
            "الله يرحم أبوي، كان نعم الأب، يا رب تجمعنا فيه في جنات النعيم.",
            "[Gulf] Mourning one's father, hoping to meet in paradise.",
        ),
        (
            "البقاء لله، توفيت جدتي اليوم بعد صراع طويل مع المرض، نسألكم الدعاء لها بالرحمة "
            "والجنة.",
            "Grandmother died after long illness; asks for prayers.",
        ),
        (
            "صاحبي اللي غرق وهو بينقذ طفل في البحر، إن شاء الله شهيد والجنة مثواه.",
            "[Egyptian] Friend drowned saving a child; hoped to be a martyr.",
        ),
        (
            "رحم الله الشهيد المسعف الذي قضى أثناء إسعاف الجرحى، كان يعرف الخطر ولم يتراجع.",
            "Mourning a paramedic killed while rescuing the wounded.",
        ),
        (
            "عزاؤنا واحد، الطبيب اللي توفي بكورونا وهو على رأس عمله شهيد الواجب الإنساني.",
            "Doctor who died of COVID on duty, a martyr of humanitarian duty.",
        ),
        (
            "لا تحزن يا أخوي، أمك إن شاء الله في الجنة، كانت صابرة ومحتسبة طول عمرها.",
            "[Gulf] Consoling a friend: your mother is in paradise.",
        ),
        (
            "الجنة تحت أقدام الأمهات، روحوا بوسوا إيد أمهاتكم اليوم قبل بكرا.",
            "[Levantine] Paradise lies under mothers' feet; go kiss their hands.",
        ),
        (
            "الذكرى الخامسة لوفاة عمي، اللهم اجعل قبره روضة من رياض الجنة.",
            "Fifth anniversary of an uncle's death.",
        ),
        (
            "توفي ابن عمي تحت الأنقاض في الزلزال، نحسبه شهيدًا ولا نزكي على الله أحدًا.",
            "Cousin died in an earthquake; counted a martyr.",
        ),
        (
            "شهداء لقمة العيش: عمال المنجم اللي ماتوا تحت الأرض، الله يرحمهم ويصبّر أهلهم.",
            "Miners killed at work, 'martyrs of the daily bread'.",
        ),
        (
            "إنا لله وإنا إليه راجعون، رحل شيخ الحارة الذي علمنا القرآن صغارًا، اللهم أسكنه "
            "فسيح جناتك.",
            "Death of the neighbourhood sheikh who taught us the Quran.",
        ),
        (
            "يا حسرة على الطفل اللي راح ضحية الإهمال في المستشفى، الله يرحمه وهو من طيور الجنة.",
            "Child who died from hospital neglect, 'a bird of paradise'.",
        ),
        (
            "ربي يرحم كل شهداء الحريق في المصنع، ويلهم أهلهم الصبر والسلوان.",
            "Mourning workers killed in a factory fire.",
        ),
        (
            "زرنا مقبرة الشهداء في ذكرى اندلاع الثورة، رحم الله مليونًا ونصف مليون شهيد.",
            "Algerian independence martyrs' cemetery visit.",
        ),
        (
            "العزاء في بيت المرحوم بعد صلاة العشاء، جعل الله الجنة مثواه وألهم أهله الصبر.",
            "Funeral notice with a prayer for paradise.",
        ),
        (
            "الله يرحمك يا ستي، كنتي جنة البيت وريحته، والبيت من بعدك فاضي.",
            "[Levantine] Grandmother, you were the paradise of the house.",
        ),
    ),
}

#: The whole table, section by section, in the order of :data:`FUNCTIONALITIES`.
CASES: tuple[FunctionalCase, ...] = tuple(
    FunctionalCase(functionality=name, text=text, note=note)
    for name in FUNCTIONALITIES
    for text, note in _SECTIONS[name]
)


def cases(functionality: str | None = None) -> list[FunctionalCase]:
    """Return the functional test cases, all of them or those of one functionality.

    Parameters
    ----------
    functionality : str or None
        A key of :data:`FUNCTIONALITIES`; ``None`` returns every case.

    Returns
    -------
    list of FunctionalCase
        The cases, in table order.

    Raises
    ------
    ValueError
        If `functionality` is not a key of :data:`FUNCTIONALITIES`.
    """
    if functionality is None:
        return list(CASES)
    if functionality not in FUNCTIONALITIES:
        known = ", ".join(FUNCTIONALITIES)
        raise ValueError(f"unknown functionality {functionality!r}; known: {known}")
    return [case for case in CASES if case.functionality == functionality]
