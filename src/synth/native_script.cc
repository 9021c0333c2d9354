// Native-script spellings, used where an intelligence report writes a name the
// way the source heard or read it: Cyrillic for Russian and Central Asian names,
// Arabic script for Arab and Afghan ones. The resolver must bring these back
// together with the romanised records.
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "names.h"

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink::synth {
namespace {

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t CyrillicUpper(char32_t cp) {
  if (cp >= U'а' && cp <= U'я') return cp - 0x20;
  if (cp == U'ё') return U'Ё';
  if (cp == U'қ') return U'Қ';
  if (cp == U'ҳ') return U'Ҳ';
  return cp;
}

bool IsLatinVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Reverses the common romanisations of Russian and of Uzbek/Tajik Cyrillic.
// Good for the names in our tables (Эргашев, Санжар, Бахтиёр, Дмитрий, Ходжаев),
// not a general transliterator.
std::string LatinToCyrillic(std::string_view latin, bool central_asian) {
  std::string lower;
  for (char c : latin) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  std::u32string out;
  size_t i = 0;
  const auto at = [&](size_t k) { return k < lower.size() ? lower[k] : '\0'; };
  const auto starts = [&](std::string_view s) { return lower.compare(i, s.size(), s) == 0; };
  while (i < lower.size()) {
    const char c = lower[i];
    const bool word_start = i == 0 || !std::isalpha(static_cast<unsigned char>(lower[i - 1]));
    if (starts("shch")) { out += U'щ'; i += 4; continue; }
    if (starts("dzh") || starts("dj")) { out += U"дж"; i += starts("dzh") ? 3 : 2; continue; }
    static constexpr std::pair<std::string_view, char32_t> kDigraphs[] = {
        {"sh", U'ш'}, {"ch", U'ч'}, {"zh", U'ж'}, {"kh", U'х'}, {"ts", U'ц'}, {"gh", U'г'},
        {"yo", U'ё'}, {"yu", U'ю'}, {"ya", U'я'}, {"ye", U'е'}};
    bool matched = false;
    for (const auto& [pair, cp] : kDigraphs) {
      if (starts(pair)) { out += cp; i += 2; matched = true; break; }
    }
    if (matched) continue;
    const bool at_end = !std::isalpha(static_cast<unsigned char>(at(i + 1)));
    switch (c) {
      case 'a': out += U'а'; break;
      case 'b': out += U'б'; break;
      case 'c': out += U'к'; break;
      case 'd': out += U'д'; break;
      case 'e': out += (word_start && central_asian) ? U'э' : U'е'; break;
      case 'f': out += U'ф'; break;
      case 'g': out += U'г'; break;
      case 'h': out += central_asian ? U'ҳ' : U'х'; break;
      case 'i':
        if (at(i + 1) == 'a' && !std::isalpha(static_cast<unsigned char>(at(i + 2)))) {
          out += U"ия";  // Maria -> Мария
          i += 2;
          continue;
        }
        if (at(i + 1) == 'y' && !std::isalpha(static_cast<unsigned char>(at(i + 2)))) {
          out += U"ий";  // Dmitriy -> Дмитрий
          i += 2;
          continue;
        }
        out += U'и';
        break;
      case 'j': out += U'ж'; break;
      case 'k': out += U'к'; break;
      case 'l': out += U'л'; break;
      case 'm': out += U'м'; break;
      case 'n': out += U'н'; break;
      case 'o': out += U'о'; break;
      case 'p': out += U'п'; break;
      case 'q': out += central_asian ? U'қ' : U'к'; break;
      case 'r': out += U'р'; break;
      case 's': out += U'с'; break;
      case 't': out += U'т'; break;
      case 'u': out += U'у'; break;
      case 'v': case 'w': out += U'в'; break;
      case 'x': out += U'х'; break;
      case 'y':
        if (i > 0 && IsLatinVowel(lower[i - 1])) {
          out += U'й';  // Sergey -> Сергей
        } else if (at_end) {
          out += U"ий";  // Dmitry -> Дмитрий
        } else {
          out += U'ы';  // Kadyrov -> Кадыров
        }
        break;
      case 'z': out += U'з'; break;
      default: out += static_cast<char32_t>(static_cast<unsigned char>(c)); break;
    }
    ++i;
  }
  std::string result;
  bool capitalise = true;
  for (char32_t cp : out) {
    AppendUtf8(capitalise ? CyrillicUpper(cp) : cp, result);
    capitalise = cp == U' ' || cp == U'-';
  }
  return result;
}

// Arabic-script spellings of the names in our Arab and Afghan tables that
// facilitators are drawn from (Afghan ones in Dari orthography).
constexpr std::pair<std::string_view, std::string_view> kArabicScript[] = {
    {"Mohammed", "محمد"}, {"Ahmed", "أحمد"}, {"Mahmoud", "محمود"}, {"Mustafa", "مصطفى"},
    {"Ali", "علي"}, {"Omar", "عمر"}, {"Khaled", "خالد"}, {"Hassan", "حسن"}, {"Hussein", "حسين"},
    {"Ibrahim", "إبراهيم"}, {"Youssef", "يوسف"}, {"Abdullah", "عبد الله"},
    {"Abdulrahman", "عبد الرحمن"}, {"Tariq", "طارق"}, {"Karim", "كريم"}, {"Samir", "سمير"},
    {"Walid", "وليد"}, {"Bilal", "بلال"}, {"Hamza", "حمزة"}, {"Faisal", "فيصل"}, {"Nabil", "نبيل"},
    {"Ziad", "زياد"}, {"Amjad", "أمجد"}, {"Rami", "رامي"}, {"Yasser", "ياسر"}, {"Jamal", "جمال"},
    {"Saad", "سعد"}, {"Adel", "عادل"}, {"Ammar", "عمار"}, {"Anas", "أنس"}, {"Osama", "أسامة"},
    {"Haidar", "حيدر"}, {"Majid", "ماجد"}, {"Raed", "رائد"}, {"Salah", "صلاح"},
    {"Al-Hassan", "الحسن"}, {"Al-Ahmad", "الأحمد"}, {"Khalil", "خليل"}, {"Haddad", "حداد"},
    {"Darwish", "درويش"}, {"Al-Masri", "المصري"}, {"Shami", "الشامي"}, {"Najjar", "النجار"},
    {"Halabi", "الحلبي"}, {"Al-Ali", "العلي"}, {"Sabbagh", "الصباغ"}, {"Kassem", "قاسم"},
    {"Al-Khatib", "الخطيب"}, {"Othman", "عثمان"}, {"Saleh", "صالح"}, {"Mansour", "منصور"},
    {"Hamdan", "حمدان"}, {"Al-Jubouri", "الجبوري"}, {"Al-Dulaimi", "الدليمي"},
    {"Al-Obaidi", "العبيدي"}, {"Al-Tamimi", "التميمي"}, {"Al-Shammari", "الشمري"},
    {"Al-Zubaidi", "الزبيدي"}, {"Al-Saadi", "الساعدي"}, {"Al-Rubaie", "الربيعي"},
    {"Al-Khafaji", "الخفاجي"}, {"Al-Maliki", "المالكي"}, {"Al-Hashimi", "الهاشمي"},
    {"Al-Azzawi", "العزاوي"}, {"Al-Janabi", "الجنابي"}, {"Al-Bayati", "البياتي"},
    {"Kadhim", "كاظم"}, {"Jaber", "جابر"}, {"Abbas", "عباس"}, {"Salman", "سلمان"},
    {"El-Sayed", "السيد"}, {"Farouk", "فاروق"}, {"Soliman", "سليمان"}, {"Gamal", "جمال"},
    {"Nasser", "ناصر"}, {"Morsi", "مرسي"},
};

constexpr std::pair<std::string_view, std::string_view> kDariScript[] = {
    {"Ahmad", "احمد"}, {"Mohammad", "محمد"}, {"Ali", "علی"}, {"Hamid", "حمید"}, {"Rahim", "رحیم"},
    {"Karim", "کریم"}, {"Farid", "فرید"}, {"Nasir", "ناصر"}, {"Jawad", "جواد"}, {"Wahid", "وحید"},
    {"Mirwais", "میرویس"}, {"Bashir", "بشیر"}, {"Habib", "حبیب"}, {"Ajmal", "اجمل"},
    {"Shafiq", "شفیق"}, {"Sayed", "سید"}, {"Qasim", "قاسم"}, {"Masoud", "مسعود"}, {"Omid", "امید"},
    {"Ahmadi", "احمدی"}, {"Hakimi", "حکیمی"}, {"Noori", "نوری"}, {"Rahimi", "رحیمی"},
    {"Karimi", "کریمی"}, {"Popal", "پوپل"}, {"Sultani", "سلطانی"}, {"Stanikzai", "ستانکزی"},
    {"Wardak", "وردک"}, {"Hotak", "هوتک"}, {"Durrani", "درانی"}, {"Sharifi", "شریفی"},
    {"Safi", "صافی"}, {"Amiri", "امیری"}, {"Haidari", "حیدری"}, {"Rezaei", "رضایی"},
    {"Mohammadi", "محمدی"}, {"Azizi", "عزیزی"}, {"Jalali", "جلالی"}, {"Nazari", "نظری"},
    {"Hashimi", "هاشمی"}, {"Barakzai", "بارکزی"}, {"Popalzai", "پوپلزی"}, {"Niazi", "نیازی"},
};

template <size_t N>
std::string Lookup(const std::pair<std::string_view, std::string_view> (&table)[N],
                   std::string_view latin) {
  for (const auto& [key, native] : table) {
    if (key == latin) return std::string(native);
  }
  return "";
}

}  // namespace

std::string NativeToken(std::string_view latin, NameStyle style, bool central_asian) {
  switch (style) {
    case NameStyle::kSlavic: return LatinToCyrillic(latin, central_asian);
    case NameStyle::kArabic: return Lookup(kArabicScript, latin);
    case NameStyle::kDari: return Lookup(kDariScript, latin);
    default: return "";
  }
}

}  // namespace caselink::synth
// clang-format on
