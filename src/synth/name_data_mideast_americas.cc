// Name tables for the Arab countries, Afghanistan and the Hispanic countries.
//
// Arabic names have many romanisations (Mohammed, Muhammad, Mohamed, Mohammad)
// and the article is written Al-, Al , El- or fused (Alhassan). Hispanic
// surnames come with a few country-specific ones (Mayan surnames in Guatemala,
// Kichwa surnames in Ecuador) on top of the shared pool.
#include "name_data.h"

#include <string>
#include <utility>
#include <vector>

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink::synth {
namespace {

constexpr std::string_view kArabicMale[] = {
    "Mohammed|Muhammad|Mohamed|Mohammad", "Ahmed|Ahmad", "Mahmoud|Mahmud|Mahmood",
    "Mustafa|Mostafa|Moustafa", "Ali", "Omar|Umar", "Khaled|Khalid", "Hassan|Hasan",
    "Hussein|Husain|Hussain|Hossein", "Ibrahim|Ebrahim", "Youssef|Yusuf|Yousef|Yousif",
    "Abdullah|Abdallah|Abdulla", "Abdulrahman|Abdelrahman|Abdalrahman", "Tariq|Tarek|Tarik",
    "Karim|Kareem", "Samir|Sameer", "Walid|Waleed", "Bilal", "Hamza|Hamzah", "Faisal|Faysal",
    "Nabil|Nabeel", "Ziad|Ziyad", "Amjad", "Rami", "Yasser|Yasir", "Jamal|Gamal", "Saad",
    "Adel|Adil", "Ammar", "Anas", "Osama|Usama", "Haidar|Haider", "Majid|Majed", "Raed|Raid",
    "Salah", "Mohannad|Muhanad"};

constexpr std::string_view kArabicFemale[] = {
    "Fatima|Fatma|Fatemah", "Aisha|Aysha|Aicha", "Maryam|Mariam", "Noor|Nour|Nur",
    "Layla|Leila|Laila", "Huda|Hoda", "Rania", "Amal", "Salma", "Yasmin|Yasmine",
    "Zainab|Zeinab|Zaynab", "Hanan", "Rasha", "Dina", "Sara|Sarah", "Mona|Muna", "Nadia", "Reem|Rim",
    "Lina", "Samira|Sameera", "Asmaa|Asma", "Ghada", "Heba|Hiba", "Rana", "Shaimaa|Shaima"};

constexpr std::string_view kHispanicMale[] = {
    "Juan", "Carlos", "Luis", "José", "Jorge", "Miguel", "Andrés", "Diego", "Alejandro",
    "Fernando", "Jesús", "Manuel", "Pedro", "Ricardo", "Francisco", "Santiago", "Sebastián",
    "Daniel", "David", "Javier|Xavier", "Óscar", "Mario", "Eduardo", "Wilson", "Edwin|Edwyn",
    "Kevin|Kevyn", "Brayan|Bryan|Brian", "Jhon|John|Jon", "Henry|Henri", "Marvin|Marbin",
    "Byron|Bairon", "Erick|Eric|Erik", "Wilmer|Wilmar", "Yeison|Jeison", "Nelson", "Édgar", "Ángel",
    "Héctor", "Rafael", "Víctor"};

constexpr std::string_view kHispanicFemale[] = {
    "María", "Ana", "Carmen", "Luisa", "Sofía", "Valentina", "Daniela", "Camila", "Gabriela", "Paola",
    "Andrea", "Carolina", "Diana", "Laura", "Marisol", "Yesenia|Yessenia|Jesenia", "Glenda",
    "Lesly|Lesli|Leslie", "Heidy|Heidi", "Dayana|Dayanna", "Yuliana|Yulianna", "Karla|Carla", "Rosa",
    "Elena", "Lucía", "Patricia", "Mayra|Maira", "Yadira|Yadyra", "Jennifer|Yennifer|Jenifer",
    "Kimberly|Kimberli", "Ingrid", "Xiomara|Siomara", "Esperanza", "Guadalupe"};

constexpr std::string_view kHispanicFamily[] = {
    "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez",
    "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes",
    "Gutiérrez", "Ortiz", "Jiménez|Giménez|Ximénez", "Vargas", "Castro", "Rojas", "Muñoz", "Romero",
    "Álvarez", "Mendoza", "Herrera", "Medina", "Aguilar", "Chávez|Chaves", "Ramos",
    "Vásquez|Vázquez", "Castillo", "Guzmán", "Salazar", "Mejía", "Alvarado", "Cabrera", "Paredes",
    "Maldonado", "Suárez", "Molina", "Contreras", "Ortega", "Delgado", "Navarro"};

template <size_t N>
std::vector<std::string_view> Vec(const std::string_view (&names)[N]) {
  return std::vector<std::string_view>(names, names + N);
}

NamePool Arabic(std::vector<std::string_view> family) {
  return {NameStyle::kArabic, Vec(kArabicMale), Vec(kArabicFemale), std::move(family)};
}

// The shared pool plus the country's own surnames, which are rarer.
NamePool Hispanic(const std::vector<std::string_view>& local_family) {
  NamePool pool{NameStyle::kHispanic, Vec(kHispanicMale), Vec(kHispanicFemale), Vec(kHispanicFamily)};
  pool.family.insert(pool.family.end(), local_family.begin(), local_family.end());
  return pool;
}

}  // namespace

const NamePool* MideastAmericasNamePool(std::string_view country_code) {
  static const auto& kSyria = *new NamePool(Arabic(
      {"Al-Hassan|Al Hassan|Alhassan|El-Hassan", "Al-Ahmad|Al Ahmad|Alahmad", "Khalil", "Haddad",
       "Darwish|Darwesh", "Al-Masri|Al Masri|Almasri", "Shami|Al-Shami", "Najjar|Al-Najjar",
       "Halabi|Al-Halabi", "Al-Ali|Al Ali|Alali", "Sabbagh|Sabagh", "Kassem|Qasim|Kasem",
       "Hamwi|Al-Hamwi", "Al-Khatib|Al Khatib|Alkhatib|El-Khatib", "Othman|Uthman|Osman",
       "Saleh|Salih", "Mansour|Mansur", "Youssef|Yousef|Yusuf", "Ibrahim", "Hamdan",
       "Al-Hussein|Al Hussein", "Zein|Zain", "Shaheen|Shahin", "Attar|Al-Attar", "Kurdi|Al-Kurdi"}));
  static const auto& kIraq = *new NamePool(Arabic(
      {"Al-Jubouri|Al Jubouri|Aljuboori|Al-Juburi", "Al-Dulaimi|Al Dulaimi|Aldulaimi|Al-Dulaymi",
       "Al-Obaidi|Al Obaidi|Alobaidi|Al-Ubaidi", "Al-Tamimi|Al Tamimi|Altamimi",
       "Al-Shammari|Al Shammari|Alshammari", "Al-Zubaidi|Al Zubaidi|Alzubaidi",
       "Al-Saadi|Al Saadi|Alsaadi", "Al-Rubaie|Al Rubaie|Alrubaie|Al-Rubaye",
       "Al-Khafaji|Al Khafaji|Alkhafaji", "Al-Maliki|Al Maliki|Almaliki",
       "Al-Hashimi|Al Hashimi|Alhashimi|Al-Hashemi", "Al-Azzawi|Al Azzawi|Alazzawi",
       "Al-Janabi|Al Janabi|Aljanabi", "Al-Bayati|Al Bayati|Albayati", "Hussein|Husain",
       "Kadhim|Kazim|Kathim", "Jaber|Jabir", "Abbas", "Hamid|Hameed", "Salman", "Mahdi|Mehdi",
       "Jassim|Jasim"}));
  static const auto& kEgypt = *new NamePool(Arabic(
      {"Hassan|Hasan", "Mahmoud|Mahmud", "Abdelrahman|Abdel Rahman|Abdul Rahman", "Mostafa|Mustafa",
       "El-Sayed|Elsayed|El Sayed", "Ibrahim", "Abdel-Aziz|Abdelaziz|Abdel Aziz", "Farouk|Farouq",
       "Shawky|Shawki|Shawqi", "Soliman|Suleiman|Sulaiman", "Gamal|Jamal", "Fathy|Fathi",
       "Ragab|Rajab", "Hegazy|Hegazi|Higazi", "Mansour|Mansur", "Nasser|Nasir|Naser", "Ashour|Ashur",
       "Zaki", "Helmy|Helmi", "Saad", "Fouad|Fuad", "Morsi|Mursi|Morsy", "Shehata|Shahata",
       "Badawi|Badawy", "Abdallah|Abdullah", "Eid", "Hamed|Hamid", "Ismail|Esmail"}));
  static const auto& kAfghan = *new NamePool{
      NameStyle::kDari,
      {"Ahmad|Ahmed", "Mohammad|Mohammed|Muhammad", "Abdul", "Ali", "Hamid|Hameed", "Rahim|Raheem",
       "Karim|Kareem", "Farid|Fareed", "Nasir|Naser|Nasser", "Jawad|Javad", "Wahid|Waheed",
       "Mirwais|Mir Wais", "Zabihullah|Zabiullah|Zabihollah", "Naqibullah|Naqeebullah", "Ahmadullah",
       "Shafiq|Shafeeq", "Sayed|Sayyed", "Hekmatullah|Hikmatullah", "Bashir|Basheer", "Habib|Habeeb",
       "Qasim|Kasim|Ghasem", "Noorullah|Nurullah", "Rahmatullah|Rahmatulla", "Yama", "Ajmal",
       "Jamshid|Jamshed", "Masoud|Masood|Massoud", "Omid|Umid", "Idris|Edris", "Sohail|Suhail"},
      {"Fatima|Fatema", "Maryam|Mariam", "Zahra|Zohra", "Shabnam", "Farzana", "Nazia",
       "Parwana|Parvana", "Hosai|Hosay", "Malalai|Malalay", "Roya", "Shukria|Shukriya",
       "Freshta|Fereshta|Fereshteh", "Lailuma|Lailoma", "Nargis|Narges", "Zarghona|Zarghuna",
       "Sima|Seema", "Marzia|Marziya", "Mahbooba|Mahbuba", "Nilofar|Nilufar", "Sadia|Sadiya",
       "Khadija|Khadijah", "Tamana|Tamanna", "Mursal"},
      {"Ahmadi", "Hakimi|Hakeemi", "Noori|Nouri|Nuri", "Rahimi|Raheemi", "Karimi|Kareemi", "Popal",
       "Sultani", "Stanikzai|Stanekzai", "Wardak|Wardag", "Hotak|Hotaki", "Durrani", "Sharifi", "Safi",
       "Amiri", "Haidari|Haideri|Heydari", "Rezaei|Rezai|Rezaie", "Mohammadi|Muhammadi", "Azizi",
       "Jalali", "Nazari", "Hashimi|Hashemi", "Barakzai", "Popalzai", "Yousufzai|Yusufzai|Yousafzai",
       "Ghaznawi|Ghaznavi", "Sadat|Saadat", "Faizi|Faizy", "Niazi|Nyazi", "Mangal", "Samadi"}};
  static const auto& kColombia = *new NamePool(Hispanic(
      {"Ospina", "Quintero", "Cardona", "Restrepo", "Londoño", "Zapata", "Arango", "Giraldo"}));
  static const auto& kVenezuela = *new NamePool(
      Hispanic({"Briceño", "Colmenares", "Rangel", "Parra", "Villegas", "Guevara"}));
  static const auto& kEcuador = *new NamePool(Hispanic(
      {"Quishpe|Quishpi", "Guamán|Huamán", "Chimbo", "Yupanqui", "Cedeño", "Zambrano", "Intriago",
       "Loor"}));
  static const auto& kGuatemala = *new NamePool(
      Hispanic({"Ajú", "Xol", "Coc", "Tzul", "Choc", "Caal|Cal", "Pop", "Tut", "Batz", "Ixcoy"}));
  static const auto& kHonduras = *new NamePool(Hispanic(
      {"Zelaya", "Banegas|Venegas", "Fúnez|Funes", "Maradiaga", "Ordóñez", "Matute", "Amaya",
       "Bonilla"}));
  static const auto& kMexico = *new NamePool(Hispanic(
      {"Cervantes", "Olvera", "Zavala", "Velázquez", "Arellano", "Cisneros", "Tapia"}));

  if (country_code == "sy") return &kSyria;
  if (country_code == "iq") return &kIraq;
  if (country_code == "eg") return &kEgypt;
  if (country_code == "af") return &kAfghan;
  if (country_code == "co") return &kColombia;
  if (country_code == "ve") return &kVenezuela;
  if (country_code == "ec") return &kEcuador;
  if (country_code == "gt") return &kGuatemala;
  if (country_code == "hn") return &kHonduras;
  if (country_code == "mx") return &kMexico;
  return nullptr;
}

}  // namespace caselink::synth
// clang-format on
