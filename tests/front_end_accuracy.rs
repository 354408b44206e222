//! The front end's accuracy report: cases by class, scored, printed as a
//! table (`cargo test --test front_end_accuracy -- --nocapture`), and each
//! class held to the target. The cases are our own news phrasing
//! and bare fragments (headlines, tables, tickers write numbers that way);
//! they are compared without case, hyphens or commas, so house style
//! ("twenty-five" or "twenty five") does not count as an error.

use bulletin::text::normalize::spoken;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::Lang;

/// (class, written, expected spoken form).
const ENGLISH: &[(&str, &str, &str)] = &[
    // cardinals
    (
        "cardinals",
        "The plant employs 1,250 people.",
        "the plant employs one thousand two hundred fifty people",
    ),
    (
        "cardinals",
        "a crowd of 45,000",
        "a crowd of forty five thousand",
    ),
    ("cardinals", "2,000,000 doses", "two million doses"),
    ("cardinals", "37 injured", "thirty seven injured"),
    ("cardinals", "-12", "minus twelve"),
    ("cardinals", "1,001 nights", "one thousand one nights"),
    // ordinals
    ("ordinals", "the 3rd round", "the third round"),
    ("ordinals", "his 100th goal", "his one hundredth goal"),
    ("ordinals", "the 21st century", "the twenty first century"),
    ("ordinals", "52nd street", "fifty second street"),
    ("ordinals", "the 11th hour", "the eleventh hour"),
    // decimals
    ("decimals", "rose 0.25", "rose zero point two five"),
    (
        "decimals",
        "a 3.7 magnitude quake",
        "a three point seven magnitude quake",
    ),
    ("decimals", "12.05", "twelve point zero five"),
    (
        "decimals",
        "1,234.5",
        "one thousand two hundred thirty four point five",
    ),
    // fractions
    (
        "fractions",
        "About 1/3 of voters agreed.",
        "about one third of voters agreed",
    ),
    ("fractions", "2/3 majority", "two thirds majority"),
    ("fractions", "3/4", "three quarters"),
    ("fractions", "1/2", "one half"),
    ("fractions", "2 1/2 years", "two and a half years"),
    ("fractions", "½ mile", "one half mile"),
    ("fractions", "7/10", "seven tenths"),
    ("fractions", "1/8 inch", "one eighth inch"),
    // money
    ("money", "$2.5 b", "two point five billion dollars"),
    ("money", "$45", "forty five dollars"),
    ("money", "$3.99", "three dollars ninety nine cents"),
    ("money", "£1.2bn", "one point two billion pounds"),
    ("money", "€500m", "five hundred million euros"),
    ("money", "$1 million", "one million dollars"),
    ("money", "¥10,000", "ten thousand yuan"),
    ("money", "20 EUR", "twenty euros"),
    ("money", "$0.05", "five cents"),
    ("money", "$12,500", "twelve thousand five hundred dollars"),
    ("money", "$10-$20", "ten dollars to twenty dollars"),
    ("money", "US$3 trillion", "three trillion u s dollars"),
    // measures
    ("measures", "a 42 km run", "a forty two kilometers run"),
    ("measures", "5.5 kg", "five point five kilograms"),
    ("measures", "100 mph", "one hundred miles per hour"),
    ("measures", "-3°C", "minus three degrees celsius"),
    ("measures", "1 mile", "one mile"),
    ("measures", "75%", "seventy five percent"),
    ("measures", "300 MW plant", "three hundred megawatts plant"),
    ("measures", "12 mg/L", "twelve milligrams per liter"),
    ("measures", "8 GB", "eight gigabytes"),
    ("measures", "2 ft", "two feet"),
    // dates
    ("dates", "jul 25 2012", "july twenty fifth twenty twelve"),
    ("dates", "July 4, 1776", "july fourth seventeen seventy six"),
    ("dates", "2016-11-03", "november third twenty sixteen"),
    ("dates", "3 March 2020", "the third of march twenty twenty"),
    ("dates", "dec 31", "december thirty first"),
    ("dates", "Oct. 1, 1949", "october first nineteen forty nine"),
    ("dates", "1990s", "nineteen nineties"),
    ("dates", "the '60s", "the sixties"),
    ("dates", "in 1066", "in ten sixty six"),
    (
        "dates",
        "31.12.1999",
        "the thirty first of december nineteen ninety nine",
    ),
    ("dates", "12/25/2020", "december twenty fifth twenty twenty"),
    ("dates", "the 19th century", "the nineteenth century"),
    ("dates", "February 2009", "february two thousand nine"),
    // times
    ("times", "3:30 p.m.", "three thirty p m"),
    ("times", "15:30 GMT", "fifteen thirty g m t"),
    ("times", "7 am", "seven a m"),
    ("times", "11:05", "eleven oh five"),
    ("times", "6:00", "six o'clock"),
    ("times", "9pm-11pm", "nine p m to eleven p m"),
    ("times", "10:15 a.m. EST", "ten fifteen a m e s t"),
    ("times", "noon to 2:30 pm", "noon to two thirty p m"),
    // ranges
    ("ranges", "2010-2015", "twenty ten to twenty fifteen"),
    ("ranges", "5-10 km", "five to ten kilometers"),
    ("ranges", "pages 3–7", "pages three to seven"),
    ("ranges", "10-20%", "ten to twenty percent"),
    ("ranges", "aged 18-24", "aged eighteen to twenty four"),
    ("ranges", "1939-45", "nineteen thirty nine to forty five"),
    ("ranges", "He won 6-4, 6-3.", "he won six four six three"),
    (
        "ranges",
        "Chelsea beat Arsenal 3-1",
        "chelsea beat arsenal three one",
    ),
    // phone numbers
    (
        "phones",
        "Call 555-0142 for details.",
        "call five five five zero one four two for details",
    ),
    (
        "phones",
        "(212) 555-0198",
        "two one two five five five zero one nine eight",
    ),
    (
        "phones",
        "800-555-0100",
        "eight zero zero five five five zero one zero zero",
    ),
    (
        "phones",
        "+44 20 7946 0000",
        "plus four four two zero seven nine four six zero zero zero zero",
    ),
    (
        "phones",
        "tel 555-2368",
        "tel five five five two three six eight",
    ),
    // serials and codes
    ("serials", "GDP grew in Q3.", "g d p grew in q three"),
    (
        "serials",
        "Flight BA2490 was delayed.",
        "flight b a two four nine zero was delayed",
    ),
    ("serials", "A4", "a four"),
    ("serials", "COVID-19", "covid nineteen"),
    ("serials", "5G", "five g"),
    ("serials", "MP3", "m p three"),
    ("serials", "an F-35 jet", "an f thirty five jet"),
    ("serials", "the G7", "the g seven"),
    ("serials", "UA901", "u a nine zero one"),
    ("serials", "M25 motorway", "m twenty five motorway"),
    // roman numerals
    ("roman", "Henry VIII", "henry the eighth"),
    ("roman", "World War II", "world war two"),
    ("roman", "Chapter IV", "chapter four"),
    ("roman", "King Charles III", "king charles the third"),
    ("roman", "Louis XIV", "louis the fourteenth"),
    // abbreviations and acronyms
    ("abbreviations", "Dr. Lee", "doctor lee"),
    (
        "abbreviations",
        "St. Paul's on Fleet St.",
        "saint paul's on fleet street",
    ),
    ("abbreviations", "Acme Inc.", "acme incorporated"),
    ("abbreviations", "the U.S. economy", "the u s economy"),
    ("abbreviations", "No. 10", "number ten"),
    ("abbreviations", "Spain vs. Italy", "spain versus italy"),
    ("abbreviations", "NATO allies", "nato allies"),
    ("abbreviations", "the FBI said", "the f b i said"),
    ("abbreviations", "NASA and the BBC", "nasa and the b b c"),
    // addresses
    ("addresses", "bbc.co.uk", "bbc dot co dot uk"),
    ("addresses", "mail press@un.org", "mail press at un dot org"),
    (
        "addresses",
        "www.gov.uk/news",
        "w w w dot gov dot uk slash news",
    ),
    // signs
    ("signs", "AT&T", "a t and t"),
    ("signs", "50%", "fifty percent"),
    ("signs", "#1 seed", "number one seed"),
    ("signs", "2+2", "two plus two"),
    (
        "signs",
        "98.6°F",
        "ninety eight point six degrees fahrenheit",
    ),
];

/// (class, Chinese sentence, the polyphone, its reading there).
const POLYPHONES: &[(&str, &str, char, &str)] = &[
    ("长", "孩子长得快", '长', "zhang3"),
    ("长", "这条河很长", '长', "chang2"),
    ("长", "市长主持会议", '长', "zhang3"),
    ("长", "长期坚持", '长', "chang2"),
    ("得", "你得走了", '得', "dei3"),
    ("得", "他得了第一名", '得', "de2"),
    ("得", "跑得很快", '得', "de5"),
    ("得", "我们得抓紧时间", '得', "dei3"),
    ("得", "取得成绩", '得', "de2"),
    ("地", "慢慢地走", '地', "de5"),
    ("地", "各地积极响应", '地', "di4"),
    ("地", "认真地学习", '地', "de5"),
    ("的", "我的书", '的', "de5"),
    ("的", "的确如此", '的', "di2"),
    ("为", "被选为代表", '为', "wei2"),
    ("为", "为人民服务", '为', "wei4"),
    ("为", "以人民为中心", '为', "wei2"),
    ("为", "他被评为劳动模范", '为', "wei2"),
    ("数", "他在数钱", '数', "shu3"),
    ("数", "数百名群众", '数', "shu4"),
    ("数", "数据显示", '数', "shu4"),
    ("量", "量体温", '量', "liang2"),
    ("量", "质量提升", '量', "liang4"),
    ("还", "还款期限", '还', "huan2"),
    ("还", "还要努力", '还', "hai2"),
    ("行", "银行贷款", '行', "hang2"),
    ("行", "举行会议", '行', "xing2"),
    ("重", "重新开始", '重', "chong2"),
    ("重", "重要讲话", '重', "zhong4"),
    ("调", "调整结构", '调', "tiao2"),
    ("调", "调查研究", '调', "diao4"),
    ("传", "传统文化", '传', "chuan2"),
    ("传", "人物传记", '传', "zhuan4"),
    ("处", "处理问题", '处', "chu3"),
    ("处", "办事处", '处', "chu4"),
    ("种", "种树", '种', "zhong4"),
    ("种", "各种问题", '种', "zhong3"),
    ("只", "一只羊", '只', "zhi1"),
    ("只", "只有坚持", '只', "zhi3"),
    ("着", "看着我", '着', "zhe5"),
    ("着", "着力推进", '着', "zhuo2"),
    ("了", "他来了", '了', "le5"),
    ("了", "了解情况", '了', "liao3"),
    ("和", "我和你", '和', "he2"),
    ("更", "更加努力", '更', "geng4"),
    ("更", "城市更新", '更', "geng1"),
    ("当", "当前形势", '当', "dang1"),
    ("应", "应该如此", '应', "ying1"),
    ("应", "应对挑战", '应', "ying4"),
    ("解", "解决问题", '解', "jie3"),
    ("降", "降低成本", '降', "jiang4"),
    ("降", "敌军投降", '降', "xiang2"),
    ("率", "增长率", '率', "lv4"),
    ("率", "率先发展", '率', "shuai4"),
    ("率", "他率团访问", '率', "shuai4"),
    ("藏", "西藏自治区", '藏', "zang4"),
    ("藏", "收藏文物", '藏', "cang2"),
    ("乐", "音乐会", '乐', "yue4"),
    ("乐", "快乐生活", '乐', "le4"),
    ("给", "给予支持", '给', "ji3"),
    ("给", "交给他", '给', "gei3"),
    ("曾", "曾经参加", '曾', "ceng2"),
    ("朝", "朝阳区", '朝', "chao2"),
    ("朝", "朝气蓬勃", '朝', "zhao1"),
    ("差", "差距缩小", '差', "cha1"),
    ("差", "出差北京", '差', "chai1"),
    ("差", "质量差", '差', "cha4"),
    ("参", "参加会议", '参', "can1"),
    ("参", "人参种植", '参', "shen1"),
    ("转", "转变作风", '转', "zhuan3"),
    ("转", "地球自转", '转', "zhuan4"),
    ("难", "困难群众", '难', "nan2"),
    ("难", "灾难发生", '难', "nan4"),
];

/// (class, written Chinese, spoken).
const CHINESE_CODES: &[(&str, &str, &str)] = &[
    ("codes", "尾号1702的车辆", "尾号幺七零二的车辆"),
    ("codes", "车牌尾号为3的车辆限行", "车牌尾号为三的车辆限行"),
    ("codes", "编号3015", "编号三零幺五"),
    ("codes", "拨打110报警", "拨打幺幺零报警"),
    ("codes", "立即打120", "立即打幺二零"),
    ("codes", "119消防", "幺幺九消防"),
    ("codes", "热线电话12345", "热线电话幺二三四五"),
    ("codes", "G1234次列车", "G幺二三四次列车"),
    (
        "amounts",
        "总额达1234567",
        "总额达一百二十三万四千五百六十七",
    ),
    ("amounts", "共1500000人", "共一百五十万人"),
    ("amounts", "收入2345678", "收入二百三十四万五千六百七十八"),
    ("amounts", "投资12000000元", "投资一千二百万元"),
    ("years", "05年毕业", "零五年毕业"),
    ("years", "于98年成立", "于九八年成立"),
    ("years", "近30年来", "近三十年来"),
    ("years", "08年奥运", "零八年奥运"),
    ("years", "2025年", "二零二五年"),
    ("dates", "2024-05-01", "二零二四年五月一日"),
    ("dates", "01-05-2024", "二零二四年五月一日"),
    ("dates", "15/08/2023", "二零二三年八月十五日"),
    ("dates", "03/2024", "二零二四年三月"),
    ("dates", "2024年3月8日", "二零二四年三月八日"),
    ("scores", "湖人队2/2战平", "湖人队二比二战平"),
    ("scores", "中国队3:1战胜对手", "中国队三比一战胜对手"),
    ("scores", "比分2:0", "比分二比零"),
    ("scores", "以3/2险胜", "以三比二险胜"),
    ("eras", "公元前221年", "公元前二百二十一年"),
    ("eras", "221 BC", "公元前二百二十一年"),
    ("eras", "AD 618", "公元六一八年"),
    ("eras", "公元1世纪", "公元一世纪"),
];

/// Lower case, hyphens as spaces, commas and full stops dropped, spaces
/// made single: house style aside.
fn plain(text: &str) -> String {
    text.to_lowercase()
        .replace(['-', '–'], " ")
        .replace([',', '.'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scores each class: (class, right, total, failures).
fn score<T>(
    cases: &[T],
    class: impl Fn(&T) -> &str,
    right: impl Fn(&T) -> Result<(), String>,
) -> Vec<(String, usize, usize, Vec<String>)> {
    let mut classes: Vec<(String, usize, usize, Vec<String>)> = Vec::new();
    for case in cases {
        let name = class(case).to_string();
        let index = classes.iter().position(|c| c.0 == name).unwrap_or_else(|| {
            classes.push((name, 0, 0, Vec::new()));
            classes.len() - 1
        });
        let entry = &mut classes[index];
        entry.2 += 1;
        match right(case) {
            Ok(()) => entry.1 += 1,
            Err(failure) => entry.3.push(failure),
        }
    }
    classes
}

/// Prints the table and fails when the whole set is under `target` percent
/// or a class is under `class_target`.
fn report(
    title: &str,
    classes: &[(String, usize, usize, Vec<String>)],
    target: usize,
    class_target: usize,
) {
    let (right, total) = classes.iter().fold((0, 0), |(r, t), c| (r + c.1, t + c.2));
    println!(
        "\n{title}: {right} of {total} ({}%)",
        right * 100 / total.max(1)
    );
    for (class, r, t, failures) in classes {
        println!("  {class:<14} {r:>3} of {t:<3}");
        for failure in failures {
            println!("      {failure}");
        }
    }
    assert!(
        right * 100 >= target * total,
        "{title}: {right} of {total} is under {target}%"
    );
    for (class, r, t, _) in classes {
        assert!(
            r * 100 >= class_target * t,
            "{title}: {class} {r} of {t} is under {class_target}%"
        );
    }
}

#[test]
fn english_classes() {
    let classes = score(
        ENGLISH,
        |c| c.0,
        |(_, written, expected)| {
            let said = spoken(written, Lang::En);
            if plain(&said) == plain(expected) {
                Ok(())
            } else {
                Err(format!("{written} → {said}"))
            }
        },
    );
    report("English normalization", &classes, 90, 75);
}

#[test]
fn chinese_polyphones() {
    let pronouncer = Pronouncer::built_in();
    let classes = score(
        POLYPHONES,
        |c| c.0,
        |(_, sentence, character, reading)| {
            let syllables = pronouncer.numbered(sentence);
            let han: Vec<char> = sentence
                .chars()
                .filter(|c| bulletin::text::is_han(*c))
                .collect();
            let read: Vec<&str> = syllables
                .split(' ')
                .filter(|s| s.ends_with(|d: char| ('1'..='5').contains(&d)))
                .collect();
            let at = han
                .iter()
                .position(|c| c == character)
                .expect("the polyphone is in the sentence");
            if read.get(at) == Some(reading) {
                Ok(())
            } else {
                Err(format!("{sentence}: {syllables}"))
            }
        },
    );
    report("Chinese polyphones", &classes, 97, 50);
}

#[test]
fn chinese_codes_and_dates() {
    let classes = score(
        CHINESE_CODES,
        |c| c.0,
        |(_, written, expected)| {
            let said = spoken(written, Lang::Zh);
            if said == *expected {
                Ok(())
            } else {
                Err(format!("{written} → {said}"))
            }
        },
    );
    report("Chinese codes and dates", &classes, 90, 75);
}
