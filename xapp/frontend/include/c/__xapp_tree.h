// xapp hermetic stub header: declarations for parsing only.  The one node-based
// container behind std::map, multimap, set, multiset and the unordered ones:
// iterators are pointers to the stored value, members have token bodies.
#ifndef XAPP_TREE_H
#define XAPP_TREE_H
#include <stddef.h>
#include <utility>
#include <functional>
#if __cplusplus >= 201103L
#include <initializer_list>
#endif
namespace std {
template <class _V> struct __xapp_node_iter {
  _V *__p;
  typedef _V value_type;
  typedef _V &reference;
  typedef _V *pointer;
  typedef ptrdiff_t difference_type;
  __xapp_node_iter(_V *__q = 0) : __p(__q) {}
  _V &operator*() const { return *__p; }
  _V *operator->() const { return __p; }
  __xapp_node_iter &operator++() { ++__p; return *this; }
  __xapp_node_iter operator++(int) { return __xapp_node_iter(__p++); }
  __xapp_node_iter &operator--() { --__p; return *this; }
  __xapp_node_iter operator--(int) { return __xapp_node_iter(__p--); }
  bool operator==(const __xapp_node_iter &__o) const { return __p == __o.__p; }
  bool operator!=(const __xapp_node_iter &__o) const { return __p != __o.__p; }
  operator __xapp_node_iter<const _V>() const { return __xapp_node_iter<const _V>(__p); }
};
// _K key, _V stored value (pair<const _K, _M> or _K), _M mapped type (or _K for sets).
template <class _K, class _V, class _M> class __xapp_assoc {
protected:
  _V *__b, *__e;
public:
  typedef _K key_type;
  typedef _V value_type;
  typedef _M mapped_type;
  typedef size_t size_type;
  typedef ptrdiff_t difference_type;
  typedef _V &reference;
  typedef const _V &const_reference;
  typedef __xapp_node_iter<_V> iterator;
  typedef __xapp_node_iter<const _V> const_iterator;
  typedef iterator reverse_iterator;
  typedef const_iterator const_reverse_iterator;
  __xapp_assoc() : __b(0), __e(0) {}
  template <class _I> __xapp_assoc(_I, _I) : __b(0), __e(0) {}
#if __cplusplus >= 201103L
  __xapp_assoc(initializer_list<_V>) : __b(0), __e(0) {}
  template <class... _A> pair<iterator, bool> emplace(_A &&...) { return pair<iterator, bool>(iterator(__b), true); }
  template <class... _A> iterator emplace_hint(const_iterator, _A &&...) { return iterator(__b); }
#endif
  size_type size() const { return __e - __b; }
  size_type max_size() const { return (size_type)-1; }
  bool empty() const { return __b == __e; }
  void clear() { __e = __b; }
  iterator begin() { return iterator(__b); }
  const_iterator begin() const { return const_iterator(__b); }
  iterator end() { return iterator(__e); }
  const_iterator end() const { return const_iterator(__e); }
  const_iterator cbegin() const { return const_iterator(__b); }
  const_iterator cend() const { return const_iterator(__e); }
  reverse_iterator rbegin() { return iterator(__e); }
  reverse_iterator rend() { return iterator(__b); }
  const_reverse_iterator rbegin() const { return const_iterator(__e); }
  const_reverse_iterator rend() const { return const_iterator(__b); }
  pair<iterator, bool> insert(const _V &) { return pair<iterator, bool>(iterator(__b), true); }
  iterator insert(const_iterator, const _V &) { return iterator(__b); }
  template <class _I> void insert(_I, _I) {}
  iterator find(const _K &) { return iterator(__b); }
  const_iterator find(const _K &) const { return const_iterator(__b); }
  size_type count(const _K &) const { return 0; }
  bool contains(const _K &) const { return false; }
  size_type erase(const _K &) { return 0; }
  iterator erase(iterator __p) { return __p; }
  iterator erase(const_iterator __f, const_iterator) { return iterator(const_cast<_V *>(__f.__p)); }
  iterator lower_bound(const _K &) { return iterator(__b); }
  const_iterator lower_bound(const _K &) const { return const_iterator(__b); }
  iterator upper_bound(const _K &) { return iterator(__b); }
  const_iterator upper_bound(const _K &) const { return const_iterator(__b); }
  pair<iterator, iterator> equal_range(const _K &) { return pair<iterator, iterator>(iterator(__b), iterator(__e)); }
  void swap(__xapp_assoc &__o) { _V *__t = __b; __b = __o.__b; __o.__b = __t; }
  void reserve(size_type) {}
  void rehash(size_type) {}
  size_type bucket_count() const { return 1; }
  float load_factor() const { return 1.0f; }
};
template <class _K, class _M> class __xapp_map : public __xapp_assoc<_K, pair<const _K, _M>, _M> {
  typedef __xapp_assoc<_K, pair<const _K, _M>, _M> __base;
public:
  __xapp_map() {}
  template <class _I> __xapp_map(_I __f, _I __l) : __base(__f, __l) {}
#if __cplusplus >= 201103L
  __xapp_map(initializer_list<pair<const _K, _M> > __l) : __base(__l) {}
  template <class... _A> pair<typename __base::iterator, bool> try_emplace(const _K &, _A &&...) {
    return pair<typename __base::iterator, bool>(typename __base::iterator(this->__b), true);
  }
#endif
  _M &operator[](const _K &) { return this->__b->second; }
  _M &at(const _K &) { return this->__b->second; }
  const _M &at(const _K &) const { return this->__b->second; }
  template <class _O> pair<typename __base::iterator, bool> insert_or_assign(const _K &, _O &&) {
    return pair<typename __base::iterator, bool>(typename __base::iterator(this->__b), true);
  }
  using __base::insert;
};
}
#endif
