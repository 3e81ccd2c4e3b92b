//! Text newtypes (customer ids, rule ids, country and currency codes)
//! compared with plain text, both ways round, as hosts write `id == "C-1"`.

/// `PartialEq` of each named type (which is `AsRef<str>`) with `str`,
/// `&str` and `String`, and of `str` and `&str` with it.
macro_rules! compares_as_text {
    ($($name:ty),+ $(,)?) => {$(
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                AsRef::<str>::as_ref(self) == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                AsRef::<str>::as_ref(self) == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == AsRef::<str>::as_ref(other)
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == AsRef::<str>::as_ref(other)
            }
        }
    )+};
}

pub(crate) use compares_as_text;
