//! Times `publish` on a built site: `cargo run --profile native -p matome-site --example
//! publish_timing -- <compiled bundle dir> <template>` (works on copies of the bundle).
use std::path::Path;
use std::time::Instant;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()))
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (bundle, template) = (Path::new(&args[0]), Path::new(&args[1]));
    use matome_site::Precompress;
    for precompress in [Precompress::None, Precompress::Large, Precompress::All] {
        let root = std::env::temp_dir().join(format!("matome-publish-timing-{precompress:?}"));
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(bundle, &root);
        std::fs::copy(template, root.join("index.html")).unwrap();
        let mut opts = matome_site::PublishOptions::new(&root, "/");
        opts.precompress = precompress;
        let t = Instant::now();
        matome_site::publish(&opts).unwrap();
        println!("precompress={precompress:?}: {:?}", t.elapsed());
    }
}
