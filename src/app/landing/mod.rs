mod landing_page;

pub use landing_page::LandingPage;
