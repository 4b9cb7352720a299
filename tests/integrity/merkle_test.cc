#include "integrity/merkle.h"

#include <gtest/gtest.h>

#include <string>

#include "base/hex.h"

namespace aih::integrity {
namespace {

std::string Hex(const Hash& h) { return aih::Hex(std::string_view(reinterpret_cast<const char*>(h.data()), h.size())); }

// The leaves and roots of Certificate Transparency's reference test data (RFC 6962 and RFC 9162
// share this hashing): an implementation that gets these right hashes as every CT verifier does.
const std::string kLeaves[] = {
    std::string(), std::string("\x00", 1), "\x10", "\x20\x21", "\x30\x31", "\x40\x41\x42\x43",
    "\x50\x51\x52\x53\x54\x55\x56\x57", "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
const char* const kRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

InMemoryTree TreeOf(int leaves) {
  InMemoryTree tree;
  for (int i = 0; i < leaves; ++i) tree.Append(LeafHash("leaf " + std::to_string(i)));
  return tree;
}

TEST(Merkle, RootsMatchTheCertificateTransparencyTestData) {
  InMemoryTree tree;
  for (int n = 1; n <= 8; ++n) {
    tree.Append(LeafHash(kLeaves[n - 1]));
    auto root = RootHash(tree, n);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(Hex(*root), kRoots[n - 1]) << n << " leaves";
  }
  EXPECT_EQ(Hex(*RootHash(tree, 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, EveryInclusionProofVerifiesAndNoOtherLeafOrPositionDoes) {
  InMemoryTree tree = TreeOf(70);
  for (uint64_t size = 1; size <= 70; ++size) {
    const Hash root = *RootHash(tree, size);
    for (uint64_t index = 0; index < size; ++index) {
      auto proof = InclusionProof(tree, index, size);
      ASSERT_TRUE(proof.ok());
      const Hash leaf = LeafHash("leaf " + std::to_string(index));
      ASSERT_TRUE(VerifyInclusion(index, size, leaf, *proof, root)) << index << " of " << size;
      EXPECT_FALSE(VerifyInclusion(index, size, LeafHash("another leaf"), *proof, root));
      if (size > 1) {
        EXPECT_FALSE(VerifyInclusion((index + 1) % size, size, leaf, *proof, root)) << index << " of " << size;
      }
      if (!proof->empty()) {
        std::vector<Hash> altered = *proof;
        altered.back()[0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, altered, root));
        std::vector<Hash> longer = *proof;
        longer.push_back(root);
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, longer, root));
      }
    }
  }
}

TEST(Merkle, EveryConsistencyProofVerifiesAndAForkDoesNot) {
  InMemoryTree tree = TreeOf(40);
  // The same first leaves, then a rewritten history: a fork signed with the same key.
  InMemoryTree fork;
  for (int i = 0; i < 40; ++i) fork.Append(LeafHash((i == 17 ? "forged " : "leaf ") + std::to_string(i)));
  for (uint64_t old_size = 1; old_size <= 40; ++old_size) {
    const Hash old_root = *RootHash(tree, old_size);
    for (uint64_t new_size = old_size; new_size <= 40; ++new_size) {
      const Hash new_root = *RootHash(tree, new_size);
      auto proof = ConsistencyProof(tree, old_size, new_size);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyConsistency(old_size, new_size, old_root, new_root, *proof)) << old_size << " to " << new_size;
      if (old_size > 17) {
        // The fork rewrote leaf 17, which a checkpoint of more than 17 leaves covers: no proof joins
        // that checkpoint to the fork's, neither the fork's own nor the honest one.
        auto forked = ConsistencyProof(fork, old_size, new_size);
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, *RootHash(fork, new_size), *forked));
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, *RootHash(fork, new_size), *proof));
      } else {
        // Before leaf 17 the fork is a true extension of the old tree, and proves to be one.
        auto forked = ConsistencyProof(fork, old_size, new_size);
        EXPECT_TRUE(VerifyConsistency(old_size, new_size, old_root, *RootHash(fork, new_size), *forked));
      }
      if (!proof->empty()) {
        std::vector<Hash> altered = *proof;
        altered.front()[31] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, new_root, altered));
      }
      if (new_size > old_size) {
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, new_root, old_root, *proof));
      }
    }
  }
}

TEST(Merkle, ImpossibleRequestsAreRefusedWithTheReason) {
  InMemoryTree tree = TreeOf(5);
  EXPECT_EQ(InclusionProof(tree, 5, 5).status().code(), Code::kBadRequest);
  EXPECT_EQ(InclusionProof(tree, 0, 6).status().code(), Code::kBadRequest);
  EXPECT_EQ(ConsistencyProof(tree, 0, 5).status().code(), Code::kBadRequest);
  EXPECT_EQ(ConsistencyProof(tree, 4, 3).status().code(), Code::kBadRequest);
  EXPECT_NE(ConsistencyProof(tree, 3, 9).status().message().find("the log has 5"), std::string::npos);
  EXPECT_FALSE(VerifyInclusion(3, 3, LeafHash("x"), {}, EmptyTreeHash()));
  EXPECT_FALSE(VerifyConsistency(0, 3, EmptyTreeHash(), EmptyTreeHash(), {}));
}

}  // namespace
}  // namespace aih::integrity
