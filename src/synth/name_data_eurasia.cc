// Name tables for Central Asia, Russia, Turkey, India and China.
//
// Variants are the romanisations that real records disagree on: Russian-style
// (kh, dzh, -yev) against Uzbek Latin (x, j, -yev/-ev), passport conventions
// (-ii, -iia), Wade-Giles against pinyin.
#include "name_data.h"

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink::synth {
namespace {

const NamePool& UzbekPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kSlavic,
    {"Sherzod|Sherzot|Shersod", "Jasur|Dzhasur", "Bakhtiyor|Baxtiyor|Bakhtiyar", "Dilshod|Dilshad",
     "Sanjar|Sandzhar", "Otabek|Atabek", "Rustam", "Timur|Temur", "Jamshid|Djamshid|Jamshed",
     "Farrukh|Farrux|Farukh", "Ulugbek|Ulughbek", "Akmal", "Aziz", "Bobur|Babur", "Doniyor|Daniyar",
     "Eldor|Eldar", "Islom|Islam", "Jahongir|Jakhongir|Dzhakhongir", "Mansur", "Nodir|Nadir",
     "Odil|Adil", "Sardor|Sardar", "Shukhrat|Shuxrat|Shukrat", "Umid", "Zafar", "Akbar",
     "Abbos|Abbas", "Anvar|Anwar", "Azamat", "Behzod|Bekhzod", "Ravshan", "Sarvar", "Laziz",
     "Kamoliddin|Kamaliddin", "Oybek|Aybek", "Alisher"},
    {"Gulnora|Gulnara", "Dilnoza|Dilnaza", "Nilufar|Nilufer", "Madina", "Malika",
     "Shahnoza|Shakhnoza|Shaxnoza", "Zarina", "Feruza|Firuza", "Nodira|Nadira", "Mohira|Mokhira|Moxira",
     "Sevara", "Kamola|Kamala", "Dildora|Dildara", "Umida", "Nargiza", "Barno", "Munisa", "Saida",
     "Gulchehra|Gulchekhra", "Yulduz|Iulduz", "Zilola|Zilala", "Hilola|Khilola|Xilola",
     "Mukhlisa|Muxlisa", "Sabina", "Diyora|Diora"},
    {"Abdullaev|Abdullayev|Abdulloev", "Karimov", "Yusupov|Yusufov|Iusupov", "Rakhimov|Raximov|Rahimov",
     "Nazarov", "Ergashev|Ergashov", "Tursunov", "Saidov|Saydov", "Mirzaev|Mirzayev",
     "Khodjaev|Xodjayev|Khodzhaev", "Umarov", "Ismoilov|Ismailov", "Rasulov", "Aliev|Aliyev",
     "Sultanov", "Usmonov|Usmanov", "Juraev|Djuraev|Jurayev|Zhuraev", "Kholmatov|Xolmatov",
     "Nurmatov", "Sobirov|Sabirov", "Yuldashev|Yuldoshev|Iuldashev", "Tashpulatov|Toshpulatov",
     "Azimov", "Akhmedov|Axmedov|Ahmedov", "Mamatov", "Khasanov|Xasanov|Hasanov",
     "Kadyrov|Qodirov|Kodirov", "Normatov", "Ibragimov|Ibrogimov", "Rustamov", "Musaev|Musayev",
     "Pulatov|Polatov", "Safarov", "Makhmudov|Maxmudov|Mahmudov"},
  };
  return kPool;
}

const NamePool& TajikPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kSlavic,
    {"Firdavs|Firdaus", "Farrukh|Farukh", "Bakhtiyor|Bakhtiyer", "Jamshed|Dzhamshed|Jamshid",
     "Dilshod", "Faridun|Feridun", "Shukhrat|Shuhrat", "Rustam", "Umed|Umid", "Parviz|Parvez",
     "Khurshed|Khurshid|Hurshed", "Behruz|Bekhruz", "Suhrob|Sukhrob|Sohrab", "Alisher",
     "Manuchehr|Manuchekhr", "Daler", "Komron|Kamron", "Sino|Sina", "Nurullo|Nurullah",
     "Abdullo|Abdullah", "Ismoil|Ismail", "Saidjon|Saidzhon", "Firuz|Firouz", "Mehrob|Mekhrob",
     "Shahrom|Shakhrom", "Siyovush|Siyavush", "Zafar", "Rahmatullo|Rakhmatullo", "Sherali",
     "Davlat", "Jovid|Javid", "Anvar"},
    {"Nigina", "Zarina", "Mehrona|Mekhrona", "Madina", "Farzona|Farzana", "Shahnoza|Shakhnoza",
     "Dilnoza", "Sitora|Setora", "Tahmina|Takhmina", "Parvina", "Gulnora", "Manizha|Manija",
     "Malika", "Nilufar", "Firuza", "Mavjuda|Mavdzhuda", "Shabnam", "Gulbahor|Gulbakhor", "Zebo",
     "Muhabbat|Mukhabbat", "Rukhshona|Rukhshana", "Nasiba"},
    {"Rahmonov|Rakhmonov|Rahmanov", "Saidov", "Nazarov", "Sharipov|Sharifov", "Karimov", "Davlatov",
     "Qodirov|Kodirov|Kadyrov", "Safarov", "Mirzoev|Mirzoyev|Mirzaev", "Rajabov|Radzhabov",
     "Boboev|Boboyev|Babaev", "Kurbonov|Qurbonov|Kurbanov", "Khudoiberdiev|Khudoyberdiyev",
     "Jumaev|Dzhumaev|Jumayev", "Ziyoev|Ziyoyev", "Nematov|Nimatov", "Hakimov|Khakimov",
     "Sultonov|Sultanov", "Odinaev|Odinayev", "Abdulloev|Abdulloyev|Abdullaev", "Sadulloev|Sadulloyev",
     "Sangov", "Gafurov|Ghafurov", "Ashurov|Oshurov", "Yusufzoda|Yusufzade", "Rahimzoda|Rakhimzoda",
     "Nazarzoda", "Karimzoda", "Sharifzoda", "Saidzoda"},
  };
  return kPool;
}

const NamePool& KyrgyzPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kSlavic,
    {"Nurlan", "Azamat", "Bakyt|Bakit", "Ermek", "Aibek|Aybek", "Talant", "Kanat", "Tilek", "Marat",
     "Bolot", "Almaz", "Nurbek", "Ruslan", "Daniyar|Daniiar", "Emil", "Kubanychbek|Kubanichbek",
     "Askar", "Adilet", "Chyngyz|Chingiz", "Beknazar", "Erlan", "Temirlan|Timurlan", "Maksat|Maqsat",
     "Zhyrgalbek|Jyrgalbek|Dzhyrgalbek", "Nursultan", "Ulan", "Bekzat", "Aktan", "Atai|Atay"},
    {"Aigul|Aygul", "Aizhan|Ayzhan|Aijan", "Gulnara", "Nurgul", "Asel|Assel", "Cholpon|Cholpan",
     "Aidana|Aydana", "Begimai|Begimay", "Zhyldyz|Jyldyz|Dzhyldyz", "Kanykei|Kanykey", "Elnura",
     "Aiperi|Ayperi", "Nazira", "Meerim|Merim", "Aizada|Ayzada", "Bermet", "Altynai|Altynay",
     "Jamilya|Zhamilya|Dzhamilya", "Saltanat"},
    {"Asanov", "Usenov|Usonov", "Sadykov|Sadikov", "Toktogulov", "Mamatov",
     "Abdyrakhmanov|Abdrakhmanov|Abdyrahmanov", "Zhumabaev|Jumabaev|Dzhumabaev|Zhumabayev", "Bekov",
     "Tursunbaev|Tursunbayev", "Osmonov|Osmanov", "Kadyrov|Kadirov", "Sydykov|Sidikov",
     "Moldobaev|Moldobayev", "Akmatov|Akhmatov", "Dzhaparov|Japarov|Zhaparov", "Ismailov",
     "Chynybaev|Chinibaev", "Orozbaev|Orozbayev", "Bakirov|Bakyrov", "Duishenov|Duyshenov",
     "Alybaev|Alibaev", "Musaev", "Temirov", "Kurmanaliev|Kurmanaliyev", "Beishenaliev|Beyshenaliev",
     "Niyazbekov|Niiazbekov", "Ryskulov", "Sultanbekov", "Toktosunov", "Uzakbaev"},
  };
  return kPool;
}

const NamePool& RussianPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kSlavic,
    {"Aleksandr|Alexander|Aleksander", "Dmitry|Dmitriy|Dmitrii", "Maksim|Maxim", "Sergey|Sergei",
     "Andrey|Andrei", "Aleksey|Alexey|Aleksei", "Artem|Artyom|Artiom", "Ilya|Ilia", "Kirill",
     "Mikhail|Michail", "Nikita", "Matvey|Matvei", "Roman", "Yegor|Egor", "Arseny|Arseniy|Arsenii",
     "Ivan", "Denis", "Yevgeny|Evgeny|Evgenii", "Daniil", "Timofey|Timofei", "Vladislav", "Igor",
     "Vladimir", "Pavel", "Ruslan", "Oleg", "Viktor|Victor", "Yury|Yuri|Iurii", "Anton", "Vadim",
     "Konstantin|Constantin", "Nikolay|Nikolai", "Stanislav", "Georgy|Georgiy|Georgii",
     "Vyacheslav|Viacheslav"},
    {"Anastasia|Anastasiya|Anastasiia", "Maria|Mariya|Mariia", "Anna", "Viktoria|Viktoriya|Victoria",
     "Yekaterina|Ekaterina", "Natalia|Natalya|Nataliya", "Marina", "Polina", "Sofia|Sofya|Sofiya",
     "Darya|Daria", "Alisa", "Kseniya|Ksenia|Kseniia", "Aleksandra|Alexandra", "Yelena|Elena", "Olga",
     "Tatiana|Tatyana", "Irina", "Yulia|Yuliya|Iuliia", "Svetlana", "Valeria|Valeriya", "Alina",
     "Vera", "Lyudmila|Ludmila", "Galina", "Oksana"},
    {"Ivanov", "Smirnov", "Kuznetsov|Kuznecov", "Popov", "Vasiliev|Vasilyev|Vasilev", "Petrov",
     "Sokolov", "Mikhailov|Mikhaylov|Mikhajlov", "Novikov", "Fedorov|Fyodorov", "Morozov", "Volkov",
     "Alekseev|Alekseyev|Alexeev", "Lebedev", "Semenov|Semyonov", "Yegorov|Egorov", "Pavlov",
     "Kozlov", "Stepanov", "Nikolaev|Nikolayev", "Orlov", "Andreev|Andreyev", "Makarov",
     "Zakharov|Zaharov", "Zaitsev|Zaytsev|Zajcev", "Soloviev|Solovyov|Solovev", "Borisov",
     "Yakovlev|Iakovlev", "Grigoriev|Grigoryev", "Romanov", "Belov", "Tarasov", "Frolov",
     "Kiselev|Kiselyov", "Kovalev|Kovalyov", "Gusev", "Titov", "Kuzmin", "Chernov"},
  };
  return kPool;
}

const NamePool& TurkishPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kPlain,
    {"Mehmet|Mehmed|Muhammet", "Mustafa", "Ahmet|Ahmed", "Ali", "Hüseyin|Husein", "Hasan",
     "İbrahim", "İsmail", "Osman", "Yusuf", "Murat|Murad", "Ömer", "Ramazan|Ramadan", "Halil",
     "Süleyman|Sulejman", "Abdullah", "Mahmut|Mahmud", "Recep|Rejep", "Emre", "Burak", "Fatih",
     "Serkan", "Kemal", "Orhan", "Yasin|Yassin", "Hakan", "Eren", "Enes", "Furkan", "Onur"},
    {"Fatma|Fatima", "Ayşe|Aise", "Emine", "Hatice|Hatidze", "Zeynep|Zeinep", "Elif",
     "Meryem|Meriem", "Şerife", "Zehra", "Sultan", "Hanife", "Merve", "Büşra", "Esra", "Özlem",
     "Derya", "Gül", "Sevgi", "Yasemin", "Kübra"},
    {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
     "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
     "Şimşek", "Polat", "Korkmaz", "Erdoğan", "Güneş", "Tekin", "Acar", "Aktaş", "Yavuz", "Bulut",
     "Keskin"},
  };
  return kPool;
}

const NamePool& IndianPool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kIndian,
    {"Rahul", "Amit", "Rajesh", "Sanjay|Sanjai", "Vijay|Vijai", "Suresh", "Ramesh", "Arjun", "Vikram",
     "Anil", "Sunil", "Deepak|Dipak", "Manoj", "Harpreet|Harprit", "Gurpreet|Gurprit",
     "Jaspreet|Jasprit", "Mandeep|Mandip", "Sandeep|Sandip", "Ravi", "Kiran", "Pradeep|Pradip",
     "Ajay|Ajai", "Rohit", "Nikhil", "Gurjit|Gurjeet", "Balwinder|Balvinder", "Kuldeep|Kuldip",
     "Paramjit|Paramjeet", "Hardeep|Hardip", "Jagdeep|Jagdip"},
    {"Priya", "Pooja|Puja", "Anjali", "Sunita", "Neha", "Kavita|Kavitha", "Deepika|Dipika", "Simran",
     "Harjeet|Harjit", "Manpreet|Manprit", "Ritu", "Lakshmi|Laxmi", "Divya", "Meena|Mina", "Sneha",
     "Asha", "Amandeep|Amandip", "Rajwinder|Rajvinder", "Kamaljit|Kamaljeet", "Navjot", "Jasleen"},
    {"Sharma", "Singh", "Kumar", "Patel", "Gupta", "Verma|Varma", "Yadav", "Reddy|Reddi", "Shah",
     "Mehta", "Joshi", "Chauhan|Chouhan", "Thakur", "Gill", "Sandhu", "Sidhu", "Dhillon|Dhilon",
     "Rao", "Nair", "Iyer|Aiyar", "Mishra|Misra", "Pandey|Pande", "Desai", "Grewal", "Brar", "Bains",
     "Chaudhary|Choudhary|Chaudhari", "Saini"},
  };
  return kPool;
}

const NamePool& ChinesePool() {
  static const auto& kPool = *new NamePool{
    NameStyle::kChinese,
    {"Wei", "Qiang|Chiang", "Lei", "Jun|Chun", "Yong", "Jie|Chieh", "Tao", "Ming", "Chao", "Hao",
     "Jianguo|Chien-kuo", "Xiaoming|Hsiao-ming", "Haoran", "Yuxuan", "Yichen", "Zhiqiang|Chih-chiang",
     "Jianhua|Chien-hua", "Guoqing|Kuo-ching", "Dong|Tung", "Bin", "Peng", "Feng", "Gang|Kang", "Hui",
     "Kai", "Long", "Xin|Hsin", "Zhen|Chen"},
    {"Fang", "Na", "Min", "Jing|Ching", "Li", "Yan", "Xiuying|Hsiu-ying", "Mei", "Ling",
     "Jiahui|Chia-hui", "Zihan|Tzu-han", "Xinyi|Hsin-yi", "Yuting|Yu-ting", "Hong|Hung", "Lan",
     "Juan|Chuan", "Xia|Hsia", "Ying", "Qian|Chien", "Yu", "Xue|Hsueh", "Dan|Tan", "Ping"},
    {"Wang|Wong", "Li|Lee", "Zhang|Chang|Cheung", "Liu|Lau", "Chen|Chan", "Yang|Yeung",
     "Huang|Hwang", "Zhao|Chao|Chiu", "Wu|Ng", "Zhou|Chou|Chow", "Xu|Hsu|Tsui", "Sun|Suen", "Ma",
     "Zhu|Chu", "Hu|Woo", "Guo|Kuo|Kwok", "He|Ho", "Lin|Lam", "Gao|Kao", "Luo|Lo", "Zheng|Cheng",
     "Liang|Leung", "Xie|Hsieh|Tse", "Song|Sung", "Tang|Tong", "Han|Hon", "Feng|Fung", "Deng|Teng",
     "Cao|Tsao"},
  };
  return kPool;
}

}  // namespace

const NamePool* EurasianNamePool(std::string_view country_code) {
  if (country_code == "uz") return &UzbekPool();
  if (country_code == "tj") return &TajikPool();
  if (country_code == "kg") return &KyrgyzPool();
  if (country_code == "ru") return &RussianPool();
  if (country_code == "tr") return &TurkishPool();
  if (country_code == "in") return &IndianPool();
  if (country_code == "cn") return &ChinesePool();
  return nullptr;
}

}  // namespace caselink::synth
// clang-format on
