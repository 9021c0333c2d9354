// The workbench's files at / (Server::ServeWeb): code anyone may fetch,
// under a strict Content-Security-Policy; the API behind them still asks
// every request for a token, and nothing outside the folder is served.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "caselink/server.h"
#include "served_scenario.h"
#include "test_util.h"

namespace caselink {
namespace {

using caselink::testing::TempDir;

class WebServingTest : public ::testing::Test {
 protected:
  void Start(bool with_web) {
    Result<testing::ServedScenario> served = testing::ServeScenario(dir_);
    ASSERT_TRUE(served.ok()) << served.status().message();
    store_ = std::move(served->store);
    live_ = std::move(served->live);
    std::filesystem::create_directories(dir_.File("web/assets"));
    dir_.Write("web/index.html", "<!doctype html><title>caselink workbench</title>");
    dir_.Write("web/assets/app.js", "console.log('workbench');");
    dir_.Write("secret.txt", "a file beside the workbench");
    ServerUser analyst{"bo", UserRole::kAnalyst, Clearance::Parse("").value(), {TokenDigest(token_)}};
    server_ = std::make_unique<Server>(*store_, *live_, std::vector<ServerUser>{analyst});
    if (with_web) {
      ASSERT_TRUE(server_->ServeWeb(dir_.File("web")).ok());
    }
    Result<int> port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Result Get(const std::string& path, bool with_token = false) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return with_token ? c.Get(path, {{"Authorization", "Bearer " + token_}}) : c.Get(path);
  }

  TempDir dir_;
  std::string token_ = NewToken();
  std::unique_ptr<Store> store_;
  std::unique_ptr<LiveAnalysis> live_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(WebServingTest, TheWorkbenchIsServedWithoutATokenUnderAStrictContentSecurityPolicy) {
  Start(true);
  httplib::Result page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("caselink workbench"), std::string::npos);
  const std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  httplib::Result script = Get("/assets/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
}

TEST_F(WebServingTest, TheApiBehindTheWorkbenchStillAsksForAToken) {
  Start(true);
  httplib::Result anonymous = Get("/v1/triage");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  httplib::Result me = Get("/v1/me", true);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_NE(me->body.find("\"analyst\""), std::string::npos);
  // yente's routes too: they are the API, not the workbench's files.
  httplib::Result catalog = Get("/catalog");
  ASSERT_TRUE(catalog);
  EXPECT_EQ(catalog->status, 401);
}

// Browsers ask for Brotli first; cpp-httplib's took a quarter of a second
// for a page of the queue, gzip a few milliseconds.
TEST_F(WebServingTest, AnswersAreGzippedNeverBrotliWhateverTheBrowserPrefers) {
  Start(true);
  httplib::Client c("127.0.0.1", port_);
  c.set_decompress(false);
  httplib::Result r =
      c.Get("/v1/triage?limit=0", {{"Authorization", "Bearer " + token_}, {"Accept-Encoding", "br, gzip, deflate"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  httplib::Result only_br =
      c.Get("/v1/triage?limit=0", {{"Authorization", "Bearer " + token_}, {"Accept-Encoding", "br"}});
  ASSERT_TRUE(only_br);
  EXPECT_EQ(only_br->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(only_br->body.front(), '{');
}

TEST_F(WebServingTest, NothingOutsideTheWorkbenchFolderIsServed) {
  Start(true);
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/..%2fsecret.txt"}) {
    httplib::Result r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_NE(r->status, 200) << path;
    EXPECT_EQ(r->body.find("beside the workbench"), std::string::npos) << path;
  }
}

TEST_F(WebServingTest, WithoutAWorkbenchEveryPathAsksForAToken) {
  Start(false);
  httplib::Result page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 401);
}

TEST(ServeWeb, AFolderWithoutIndexHtmlIsRefusedByName) {
  TempDir dir;
  Result<testing::ServedScenario> served = testing::ServeScenario(dir);
  ASSERT_TRUE(served.ok());
  Server server(*served->store, *served->live, {});
  const Status st = server.ServeWeb(dir.File("nowhere"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("nowhere"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("index.html"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace caselink
