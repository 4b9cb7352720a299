// The router notes the route template it matched (for logs and metrics), never the raw path.
#include "http/router.h"

#include <gtest/gtest.h>

namespace aih::http {
namespace {

Request Get(const std::string& target) {
  Request r;
  r.method = "GET";
  r.target = target;
  return r;
}

TEST(RouterTest, TheMatchedPatternIsTheRequestsRouteAndTheRawPathIsNot) {
  Router router;
  router.Add("GET", "/v1.0/copilot/users/{user}/interactionHistory", [](const Request&, const PathParams& p) {
    Response r;
    r.body = p.at("user");
    return r;
  });
  Request request = Get("/v1.0/copilot/users/8eab30c8-8338-4230-8829-84ffc0df0417/interactionHistory?$top=1");
  EXPECT_EQ(router.Route(request).body, "8eab30c8-8338-4230-8829-84ffc0df0417");
  EXPECT_EQ(request.facts.route, "/v1.0/copilot/users/{user}/interactionHistory");
}

TEST(RouterTest, APathNoPatternTakesIsUnmatched) {
  Router router;
  router.Add("GET", "/a/{id}", [](const Request&, const PathParams&) { return Response(); });
  Request unknown = Get("/b/secret-looking-id");
  EXPECT_EQ(router.Route(unknown).status, 404);
  EXPECT_EQ(unknown.facts.route, "unmatched");
  Request wrong_method = Get("/a/1");
  wrong_method.method = "DELETE";
  EXPECT_EQ(router.Route(wrong_method).status, 405);
  EXPECT_EQ(wrong_method.facts.route, "unmatched");
}

}  // namespace
}  // namespace aih::http
