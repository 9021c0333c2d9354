// The given names and nicknames caselink knows without a table loaded: the
// everyday short forms of common given names, written by this team (a
// deployment adds its own with NicknameTable::Load). Kept to forms that are
// not names of their own right for someone else: "Al" is Albert, Alfred and
// Alan, so it stands with each; the comparator never chains them.
#include "caselink/nicknames.h"

// Tables laid out by hand, a row to a line: not reflowed.
// clang-format off
namespace caselink {
namespace {

struct Entry {
  const char* formal;
  const char* nicknames;  // space-separated
};

constexpr Entry kEntries[] = {
    {"abraham", "abe"}, {"albert", "al bert bertie"}, {"alexander", "alex alec sandy sasha"},
    {"alexandra", "alex sandra sasha"}, {"alfred", "al alf alfie fred"}, {"alan", "al"},
    {"andrew", "andy drew"}, {"anthony", "tony"}, {"antonio", "tony toni"}, {"arthur", "art artie"},
    {"barbara", "barb babs"}, {"bartholomew", "bart bat batt"}, {"benjamin", "ben benny benji"},
    {"bernard", "bernie barney"}, {"catherine", "cathy kate katie kay"}, {"katherine", "kathy kate katie kay"},
    {"charles", "charlie chas chuck"}, {"christopher", "chris kit"}, {"christine", "chris tina"},
    {"daniel", "dan danny"}, {"david", "dave davy"}, {"deborah", "debbie deb"}, {"donald", "don donny"},
    {"dorothy", "dot dolly dottie"}, {"douglas", "doug"}, {"edward", "ed eddie ned ted teddy"},
    {"edmund", "ed ned"}, {"edwin", "ed"}, {"elizabeth", "liz lizzie beth betty bess bessie eliza elsie"},
    {"eleanor", "ellie nell nellie"}, {"ellen", "nell nellie"}, {"eugene", "gene"},
    {"francis", "frank fran"}, {"frances", "fran fanny"}, {"frederick", "fred freddie freddy"},
    {"gabriel", "gabe"}, {"geoffrey", "geoff jeff"}, {"jeffrey", "jeff"}, {"george", "georgie"},
    {"gerald", "gerry jerry"}, {"gregory", "greg"}, {"harold", "harry hal"}, {"henry", "harry hank hal"},
    {"herbert", "herb bert"}, {"isaac", "ike"}, {"isabella", "bella izzy"}, {"jacob", "jake"},
    {"james", "jim jimmy jamie"}, {"jane", "jenny janie"}, {"jennifer", "jen jenny"},
    {"john", "jack johnny jon"}, {"jonathan", "jon jonny"}, {"joseph", "joe joey jos"},
    {"josephine", "jo josie"}, {"joshua", "josh"}, {"kenneth", "ken kenny"}, {"lawrence", "larry laurie"},
    {"leonard", "len lenny leo"}, {"louis", "lou"}, {"margaret", "maggie meg peggy madge margie"},
    {"mary", "molly polly mae"}, {"matthew", "matt"}, {"michael", "mike mick mickey"},
    {"nathaniel", "nat nate"}, {"nicholas", "nick nicky"}, {"patrick", "pat paddy"},
    {"patricia", "pat patty trish"}, {"peter", "pete"}, {"philip", "phil"}, {"phillip", "phil"},
    {"raymond", "ray"}, {"richard", "rich richie rick dick"}, {"robert", "rob robbie bob bobby bert"},
    {"ronald", "ron ronnie"}, {"samuel", "sam sammy"}, {"samantha", "sam"}, {"sarah", "sally sadie"},
    {"stephen", "steve"}, {"steven", "steve"}, {"susan", "sue susie"}, {"theodore", "theo ted teddy"},
    {"thomas", "tom tommy tommie"}, {"timothy", "tim timmy"}, {"victoria", "vicky tori"},
    {"vincent", "vince vinny"}, {"walter", "walt wally"}, {"william", "will bill billy willie liam"},
    {"winifred", "winnie"}, {"zachary", "zach zack"}, {"aleksandr", "sasha sanya shura"},
    {"aleksandra", "sasha"}, {"dmitriy", "dima"}, {"dmitri", "dima"}, {"ekaterina", "katya"},
    {"mikhail", "misha"}, {"nikolay", "kolya"}, {"vladimir", "volodya vova"}, {"yevgeniy", "zhenya"},
    {"ivan", "vanya"}, {"anastasia", "nastya"}, {"natalya", "natasha"}, {"maria", "masha"},
    {"tatyana", "tanya"}, {"olga", "olya"}, {"sergey", "seryozha"}, {"pavel", "pasha"},
    {"francisco", "paco pancho"}, {"jose", "pepe"}, {"ignacio", "nacho"}, {"guillermo", "memo"},
    {"mohammed", "moh mo"}, {"muhammad", "moh mo"},
};

}  // namespace

const NicknameTable& DefaultNicknames() {
  static const NicknameTable table = [] {
    NicknameTable t;
    for (const Entry& e : kEntries) {
      std::string_view rest = e.nicknames;
      while (!rest.empty()) {
        const size_t space = rest.find(' ');
        t.Add(e.formal, rest.substr(0, space));
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      }
    }
    return t;
  }();
  return table;
}

}  // namespace caselink
// clang-format on
