#include "integrity/merkle.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace aih::integrity {
namespace {

// The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree of n leaves.
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

int Log2(uint64_t power_of_two) {
  int level = 0;
  while ((uint64_t{1} << level) < power_of_two) ++level;
  return level;
}

// MTH(D[begin:end]) of RFC 9162, from complete subtrees: every left part of the recursion is one.
Result<Hash> RangeHash(Tree& tree, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if ((n & (n - 1)) == 0 && begin % n == 0) return tree.CompleteSubtree(begin, Log2(n));
  const uint64_t k = SplitPoint(n);
  AIH_ASSIGN_OR_RETURN(const Hash left, RangeHash(tree, begin, begin + k));
  AIH_ASSIGN_OR_RETURN(const Hash right, RangeHash(tree, begin + k, end));
  return NodeHash(left, right);
}

// PATH(m, D[begin:end]) of RFC 9162 2.1.3.1, appended to `proof`.
Status AppendPath(Tree& tree, uint64_t m, uint64_t begin, uint64_t end, std::vector<Hash>* proof) {
  const uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    AIH_RETURN_IF_ERROR(AppendPath(tree, m, begin, begin + k, proof));
    AIH_ASSIGN_OR_RETURN(const Hash sibling, RangeHash(tree, begin + k, end));
    proof->push_back(sibling);
  } else {
    AIH_RETURN_IF_ERROR(AppendPath(tree, m - k, begin + k, end, proof));
    AIH_ASSIGN_OR_RETURN(const Hash sibling, RangeHash(tree, begin, begin + k));
    proof->push_back(sibling);
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], complete) of RFC 9162 2.1.4.1, appended to `proof`.
Status AppendSubproof(Tree& tree, uint64_t m, uint64_t begin, uint64_t end, bool complete, std::vector<Hash>* proof) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (complete) return Status::Ok();
    AIH_ASSIGN_OR_RETURN(const Hash whole, RangeHash(tree, begin, end));
    proof->push_back(whole);
    return Status::Ok();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    AIH_RETURN_IF_ERROR(AppendSubproof(tree, m, begin, begin + k, complete, proof));
    AIH_ASSIGN_OR_RETURN(const Hash right, RangeHash(tree, begin + k, end));
    proof->push_back(right);
  } else {
    AIH_RETURN_IF_ERROR(AppendSubproof(tree, m - k, begin + k, end, false, proof));
    AIH_ASSIGN_OR_RETURN(const Hash left, RangeHash(tree, begin, begin + k));
    proof->push_back(left);
  }
  return Status::Ok();
}

// SHA-256 of prefix || a || b. (EVP_Digest* would cost an allocation per hash; a proof or a group
// commit makes thousands.)
Hash Sha256(unsigned char prefix, const unsigned char* a, size_t a_size, const unsigned char* b, size_t b_size) {
  thread_local EVP_MD_CTX* ctx = EVP_MD_CTX_new();  // reused: one per thread, never freed
  Hash out;
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, &prefix, 1) != 1 ||
      (a_size && EVP_DigestUpdate(ctx, a, a_size) != 1) || (b_size && EVP_DigestUpdate(ctx, b, b_size) != 1) ||
      EVP_DigestFinal_ex(ctx, out.data(), &length) != 1) {
    std::abort();  // SHA-256 cannot fail but for memory: a wrong hash would be worse than stopping
  }
  return out;
}

}  // namespace

Hash LeafHash(std::string_view leaf) {
  return Sha256(0x00, reinterpret_cast<const unsigned char*>(leaf.data()), leaf.size(), nullptr, 0);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  return Sha256(0x01, left.data(), left.size(), right.data(), right.size());
}

Hash EmptyTreeHash() {
  Hash out;
  unsigned int length = 0;
  if (EVP_Digest(nullptr, 0, out.data(), &length, EVP_sha256(), nullptr) != 1) std::abort();
  return out;
}

Result<Hash> RootHash(Tree& tree, uint64_t size) {
  if (size > tree.size()) {
    return Status::BadRequest("the log has " + std::to_string(tree.size()) + " leaves, not " + std::to_string(size));
  }
  if (size == 0) return EmptyTreeHash();
  return RangeHash(tree, 0, size);
}

Result<std::vector<Hash>> InclusionProof(Tree& tree, uint64_t index, uint64_t size) {
  if (size > tree.size() || index >= size) {
    return Status::BadRequest("no leaf " + std::to_string(index) + " in a tree of " + std::to_string(size) +
                              " leaves (the log has " + std::to_string(tree.size()) + ")");
  }
  std::vector<Hash> proof;
  AIH_RETURN_IF_ERROR(AppendPath(tree, index, 0, size, &proof));
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(Tree& tree, uint64_t old_size, uint64_t new_size) {
  if (old_size == 0 || old_size > new_size || new_size > tree.size()) {
    return Status::BadRequest("no consistency proof from " + std::to_string(old_size) + " to " +
                              std::to_string(new_size) + " leaves (the log has " + std::to_string(tree.size()) +
                              "; the first size must be at least 1 and at most the second)");
  }
  std::vector<Hash> proof;
  AIH_RETURN_IF_ERROR(AppendSubproof(tree, old_size, 0, new_size, true, &proof));
  return proof;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash, const std::vector<Hash>& proof,
                     const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  // When old_size is a power of two, the old root itself starts the path.
  std::vector<Hash> path;
  if ((old_size & (old_size - 1)) == 0) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

Result<Hash> InMemoryTree::CompleteSubtree(uint64_t begin, int level) {
  const uint64_t n = uint64_t{1} << level;
  if (begin % n != 0 || begin + n > leaves_.size()) return Status::Internal("not a complete subtree of the log");
  if (n == 1) return leaves_[begin];
  auto left = CompleteSubtree(begin, level - 1);
  auto right = CompleteSubtree(begin + n / 2, level - 1);
  return NodeHash(*left, *right);
}

}  // namespace aih::integrity
