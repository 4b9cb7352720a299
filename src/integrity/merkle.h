// The Merkle tree of an append-only log, hashed as RFC 9162 section 2.1 says (as Certificate
// Transparency): SHA-256; a leaf hash is SHA-256(0x00 || leaf), an interior node SHA-256(0x01 ||
// left || right); the tree of n leaves splits at the largest power of two below n; the empty tree's
// hash is SHA-256 of nothing. Inclusion and consistency proofs are made and verified by the
// algorithms of sections 2.1.3 and 2.1.4, so any RFC 9162 verifier can check ours.
//
// Proofs are made from a Tree, which answers the hash of a complete subtree (2^k leaves starting at a
// multiple of 2^k): a store keeps those, so a proof costs O(log n) reads; InMemoryTree computes them
// from the leaf hashes (tests, verification of an export).
//
// Threading: the functions are pure; a Tree is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::integrity {

using Hash = std::array<unsigned char, 32>;

Hash LeafHash(std::string_view leaf);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyTreeHash();

class Tree {
 public:
  virtual ~Tree() = default;
  virtual uint64_t size() const = 0;
  // The hash of leaves [begin, begin + 2^level); begin is a multiple of 2^level and the range lies
  // within size().
  virtual Result<Hash> CompleteSubtree(uint64_t begin, int level) = 0;
};

// The root hash of the first `size` leaves of `tree` (size <= tree.size()).
Result<Hash> RootHash(Tree& tree, uint64_t size);

// The inclusion proof of leaf `index` in the tree of the first `size` leaves (index < size).
Result<std::vector<Hash>> InclusionProof(Tree& tree, uint64_t index, uint64_t size);
// The consistency proof between the trees of the first `old_size` and `new_size` leaves
// (0 < old_size <= new_size).
Result<std::vector<Hash>> ConsistencyProof(Tree& tree, uint64_t old_size, uint64_t new_size);

// Whether `proof` proves that `leaf_hash` is leaf `index` of the tree of `size` leaves whose root is
// `root` (RFC 9162 2.1.3.2).
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash, const std::vector<Hash>& proof,
                     const Hash& root);
// Whether `proof` proves that the tree of `old_size` leaves with root `old_root` is a prefix of the
// tree of `new_size` leaves with root `new_root` (RFC 9162 2.1.4.2).
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof);

// A Tree over leaf hashes held in memory.
class InMemoryTree final : public Tree {
 public:
  void Append(const Hash& leaf_hash) { leaves_.push_back(leaf_hash); }
  uint64_t size() const override { return leaves_.size(); }
  Result<Hash> CompleteSubtree(uint64_t begin, int level) override;

 private:
  std::vector<Hash> leaves_;
};

}  // namespace aih::integrity
